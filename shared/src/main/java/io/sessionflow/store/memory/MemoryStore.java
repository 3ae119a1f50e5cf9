package io.sessionflow.store.memory;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sessionflow.event.ComponentType;
import io.sessionflow.json.Json;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * User memories, profiles and extraction progress ({@code user_memories}, {@code user_profiles},
 * {@code user_memory_progress}). Every write to a user's memories first takes a transaction-scoped
 * advisory lock on the user, so extraction on two workers (after a rebalance) and hand edits through
 * the API never interleave on one user; callers pass a connection inside a transaction.
 */
public final class MemoryStore {

    private static final String COLUMNS = "memory_id, user_id, memory, topics, session_id, run_id, created_at, updated_at";

    /** Serializes every writer of one user's memories until the transaction ends. */
    public void lockUser(Connection connection, String userId) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(hashtext('sessionflow.memories'), hashtext(?))")) {
            lock.setString(1, userId);
            lock.execute();
        }
    }

    /**
     * Applies one session's batch with its progress, monotonically: if extraction has already read past
     * {@code fromRunIndex - 1} of that session (a redelivery, or another worker), nothing is written and
     * {@link MemoryChanges#NOT_APPLIED} says so; the caller reloads and decides again.
     */
    public MemoryChanges apply(Connection connection, MemoryBatch batch, Instant now) throws SQLException {
        lockUser(connection, batch.userId());
        if (progress(connection, batch.userId(), batch.sessionId()) != batch.fromRunIndex() - 1
                || !sessionOfUserHeld(connection, batch.userId(), batch.sessionId())) {
            return MemoryChanges.NOT_APPLIED;
        }
        MemoryChanges changes = applyOps(connection, batch.userId(), batch.ops(), batch.profilePatch(), now);
        try (PreparedStatement upsert = connection.prepareStatement("""
                INSERT INTO user_memory_progress (user_id, session_id, up_to_run_index, updated_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (user_id, session_id) DO UPDATE SET up_to_run_index = EXCLUDED.up_to_run_index, updated_at = EXCLUDED.updated_at""")) {
            upsert.setString(1, batch.userId());
            upsert.setString(2, batch.sessionId());
            upsert.setInt(3, batch.upToRunIndex());
            upsert.setTimestamp(4, Timestamp.from(now));
            upsert.executeUpdate();
        }
        return changes;
    }

    /**
     * Holds the session against deletion until the transaction ends, if it still exists and is the
     * user's. An extraction whose session was deleted meanwhile (the user forgotten, or the session
     * deleted) writes nothing: its turns are gone, and its memories would outlive the erasure.
     */
    private static boolean sessionOfUserHeld(Connection connection, String userId, String sessionId) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement(
                "SELECT 1 FROM sessions WHERE session_id = ? AND user_id = ? FOR KEY SHARE")) {
            lock.setString(1, sessionId);
            lock.setString(2, userId);
            try (ResultSet rs = lock.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Hand edits (API): the same operations and locking, no progress. */
    public MemoryChanges applyByHand(Connection connection, String userId, List<MemoryOp> ops, ObjectNode profilePatch, Instant now)
            throws SQLException {
        lockUser(connection, userId);
        return applyOps(connection, userId, ops, profilePatch, now);
    }

    private MemoryChanges applyOps(Connection connection, String userId, List<MemoryOp> ops, ObjectNode profilePatch, Instant now)
            throws SQLException {
        List<String> added = new ArrayList<>();
        List<String> updated = new ArrayList<>();
        List<String> deleted = new ArrayList<>();
        for (MemoryOp op : ops) {
            switch (op.kind()) {
                case ADD -> {
                    String id = UUID.randomUUID().toString();
                    // Saying a known fact again refreshes the existing row (its origin becomes the latest run).
                    try (PreparedStatement insert = connection.prepareStatement("""
                            INSERT INTO user_memories (memory_id, user_id, memory, topics, session_id, run_id, created_at, updated_at)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                            ON CONFLICT (user_id, md5(lower(memory))) DO UPDATE
                               SET updated_at = EXCLUDED.updated_at, session_id = EXCLUDED.session_id, run_id = EXCLUDED.run_id,
                                   topics = ARRAY(SELECT DISTINCT unnest(user_memories.topics || EXCLUDED.topics))
                            RETURNING memory_id, (xmax = 0)""")) {
                        insert.setString(1, id);
                        insert.setString(2, userId);
                        insert.setString(3, op.memory());
                        insert.setArray(4, connection.createArrayOf("text", op.topics().toArray()));
                        insert.setString(5, op.sessionId());
                        insert.setString(6, op.runId());
                        insert.setTimestamp(7, Timestamp.from(now));
                        insert.setTimestamp(8, Timestamp.from(now));
                        try (ResultSet rs = insert.executeQuery()) {
                            rs.next();
                            (rs.getBoolean(2) ? added : updated).add(rs.getString(1));
                        }
                    }
                }
                case UPDATE -> {
                    // An edit that makes it equal to another memory of the user merges the two into this one.
                    try (PreparedStatement merge = connection.prepareStatement("""
                            DELETE FROM user_memories WHERE user_id = ? AND md5(lower(memory)) = md5(lower(?)) AND memory_id <> ?
                            RETURNING memory_id""")) {
                        merge.setString(1, userId);
                        merge.setString(2, op.memory());
                        merge.setString(3, op.memoryId());
                        try (ResultSet rs = merge.executeQuery()) {
                            while (rs.next()) {
                                deleted.add(rs.getString(1));
                            }
                        }
                    }
                    try (PreparedStatement update = connection.prepareStatement("""
                            UPDATE user_memories SET memory = ?, topics = ?, session_id = COALESCE(?, session_id), run_id = COALESCE(?, run_id),
                                   updated_at = ?
                             WHERE memory_id = ? AND user_id = ?""")) {
                        update.setString(1, op.memory());
                        update.setArray(2, connection.createArrayOf("text", op.topics().toArray()));
                        update.setString(3, op.sessionId());
                        update.setString(4, op.runId());
                        update.setTimestamp(5, Timestamp.from(now));
                        update.setString(6, op.memoryId());
                        update.setString(7, userId);
                        if (update.executeUpdate() == 1) {
                            updated.add(op.memoryId());
                        }
                    }
                }
                case DELETE -> {
                    try (PreparedStatement delete = connection.prepareStatement("DELETE FROM user_memories WHERE memory_id = ? AND user_id = ?")) {
                        delete.setString(1, op.memoryId());
                        delete.setString(2, userId);
                        if (delete.executeUpdate() == 1) {
                            deleted.add(op.memoryId());
                        }
                    }
                }
                default -> throw new IllegalStateException("unknown operation " + op.kind());
            }
        }
        Long profileVersion = profilePatch == null ? null : patchProfileLocked(connection, userId, profilePatch, now).version();
        return new MemoryChanges(true, added, updated, deleted, profileVersion);
    }

    /** How far extraction has read a session of the user (0: nothing yet). */
    public int progress(Connection connection, String userId, String sessionId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT up_to_run_index FROM user_memory_progress WHERE user_id = ? AND session_id = ?")) {
            select.setString(1, userId);
            select.setString(2, sessionId);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? rs.getInt(1) : 0;
            }
        }
    }

    /**
     * The user's sessions with runs that extraction has not read yet, oldest activity first. The caller
     * keeps those of memory-enabled components; a session's runs that are not completed (failed, running)
     * are found again next time and cost one cheap query.
     */
    public List<PendingSession> pendingSessions(Connection connection, String userId) throws SQLException {
        List<PendingSession> result = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("""
                SELECT s.session_id, s.session_type, s.component_id, COALESCE(p.up_to_run_index, 0)
                  FROM sessions s
                  LEFT JOIN user_memory_progress p ON p.user_id = s.user_id AND p.session_id = s.session_id
                 WHERE s.user_id = ? AND s.run_count > COALESCE(p.up_to_run_index, 0)
                 ORDER BY s.updated_at, s.session_id""")) {
            select.setString(1, userId);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    result.add(new PendingSession(rs.getString(1), ComponentType.fromWireName(rs.getString(2)), rs.getString(3), rs.getInt(4)));
                }
            }
        }
        return result;
    }

    /** Completed top-level runs of a session after {@code afterRunIndex}, at most {@code limit}, with their run ids. */
    public List<UserTurn> turnsAfter(Connection connection, String sessionId, int afterRunIndex, int limit) throws SQLException {
        List<UserTurn> result = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("""
                SELECT run_id, run_index, input->>'message', content FROM runs
                 WHERE session_id = ? AND run_index > ? AND status = 'completed' AND parent_run_id IS NULL
                 ORDER BY run_index LIMIT ?""")) {
            select.setString(1, sessionId);
            select.setInt(2, afterRunIndex);
            select.setInt(3, limit);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    result.add(new UserTurn(sessionId, rs.getString(1), rs.getInt(2), rs.getString(3), rs.getString(4)));
                }
            }
        }
        return result;
    }

    /** The user's memories, most recently updated first: what extraction compares against and what a run is shown. */
    public List<UserMemory> recent(Connection connection, String userId, int limit) throws SQLException {
        return list(connection, userId, new MemoryQuery(null, null, 1, Math.min(limit, MemoryQuery.MAX_LIMIT))).memories();
    }

    /** A page of the user's memories, filtered by topic and by text (case-insensitive substring). */
    public MemoryPage list(Connection connection, String userId, MemoryQuery query) throws SQLException {
        String where = " WHERE user_id = ? AND (?::text IS NULL OR ? = ANY(topics))"
                + " AND (?::text IS NULL OR strpos(lower(memory), lower(?)) > 0)";
        long total;
        try (PreparedStatement count = connection.prepareStatement("SELECT count(*) FROM user_memories" + where)) {
            bindFilter(count, userId, query);
            try (ResultSet rs = count.executeQuery()) {
                rs.next();
                total = rs.getLong(1);
            }
        }
        List<UserMemory> memories = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS + " FROM user_memories" + where
                + " ORDER BY updated_at DESC, memory_id LIMIT ? OFFSET ?")) {
            bindFilter(select, userId, query);
            select.setInt(6, query.limit());
            select.setLong(7, (long) (query.page() - 1) * query.limit());
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    memories.add(read(rs));
                }
            }
        }
        return new MemoryPage(memories, total);
    }

    private static void bindFilter(PreparedStatement statement, String userId, MemoryQuery query) throws SQLException {
        statement.setString(1, userId);
        statement.setString(2, query.topic());
        statement.setString(3, query.topic());
        statement.setString(4, query.text());
        statement.setString(5, query.text());
    }

    /** One memory of the user; empty when it does not exist or is another user's. */
    public Optional<UserMemory> find(Connection connection, String userId, String memoryId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS + " FROM user_memories WHERE memory_id = ? AND user_id = ?")) {
            select.setString(1, memoryId);
            select.setString(2, userId);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    public Optional<UserProfile> findProfile(Connection connection, String userId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT profile::text, version, updated_at FROM user_profiles WHERE user_id = ?")) {
            select.setString(1, userId);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next()
                        ? Optional.of(new UserProfile(userId, Json.parseObject(rs.getString(1)), rs.getLong(2), rs.getTimestamp(3).toInstant()))
                        : Optional.empty();
            }
        }
    }

    /** Applies a JSON merge patch to the user's profile (created when missing); throws IllegalArgumentException if the result breaks the schema. */
    public UserProfile patchProfile(Connection connection, String userId, ObjectNode patch, Instant now) throws SQLException {
        lockUser(connection, userId);
        return patchProfileLocked(connection, userId, patch, now);
    }

    private UserProfile patchProfileLocked(Connection connection, String userId, ObjectNode patch, Instant now) throws SQLException {
        Optional<UserProfile> current = findProfile(connection, userId);
        ObjectNode next = UserProfile.merged(current.map(UserProfile::profile).orElse(null), patch);
        try (PreparedStatement upsert = connection.prepareStatement("""
                INSERT INTO user_profiles (user_id, profile, version, updated_at) VALUES (?, ?::jsonb, 1, ?)
                ON CONFLICT (user_id) DO UPDATE SET profile = EXCLUDED.profile, version = user_profiles.version + 1,
                                                    updated_at = EXCLUDED.updated_at
                RETURNING version""")) {
            upsert.setString(1, userId);
            upsert.setString(2, Json.toText(next));
            upsert.setTimestamp(3, Timestamp.from(now));
            try (ResultSet rs = upsert.executeQuery()) {
                rs.next();
                return new UserProfile(userId, next, rs.getLong(1), now);
            }
        }
    }

    /**
     * Clears what extraction derived for the user, before a rebuild from the history (batch reprocessing):
     * the memories and the progress go, and the profile is emptied under a new version (so a profile's
     * version never goes back). Hand-added memories go too: a rebuild keeps only what the history says.
     */
    public MemoryChanges clearForRebuild(Connection connection, String userId, Instant now) throws SQLException {
        lockUser(connection, userId);
        List<String> deleted = new ArrayList<>();
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM user_memories WHERE user_id = ? RETURNING memory_id")) {
            delete.setString(1, userId);
            try (ResultSet rs = delete.executeQuery()) {
                while (rs.next()) {
                    deleted.add(rs.getString(1));
                }
            }
        }
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM user_memory_progress WHERE user_id = ?")) {
            delete.setString(1, userId);
            delete.executeUpdate();
        }
        Long profileVersion = null;
        try (PreparedStatement empty = connection.prepareStatement(
                "UPDATE user_profiles SET profile = ?::jsonb, version = version + 1, updated_at = ? WHERE user_id = ? RETURNING version")) {
            empty.setString(1, Json.toText(UserProfile.empty(userId).profile()));
            empty.setTimestamp(2, Timestamp.from(now));
            empty.setString(3, userId);
            try (ResultSet rs = empty.executeQuery()) {
                if (rs.next()) {
                    profileVersion = rs.getLong(1);
                }
            }
        }
        return new MemoryChanges(true, List.of(), List.of(), deleted, profileVersion);
    }

    /** Erases the user's memories, profile and extraction progress; returns the number of rows removed. */
    public int eraseUser(Connection connection, String userId) throws SQLException {
        lockUser(connection, userId);
        int removed = 0;
        for (String table : List.of("user_memories", "user_profiles", "user_memory_progress")) {
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + table + " WHERE user_id = ?")) {
                delete.setString(1, userId);
                removed += delete.executeUpdate();
            }
        }
        return removed;
    }

    private static UserMemory read(ResultSet rs) throws SQLException {
        Array topics = rs.getArray(4);
        return new UserMemory(rs.getString(1), rs.getString(2), rs.getString(3),
                topics == null ? List.of() : Arrays.asList((String[]) topics.getArray()), rs.getString(5), rs.getString(6),
                rs.getTimestamp(7).toInstant(), rs.getTimestamp(8).toInstant());
    }
}
