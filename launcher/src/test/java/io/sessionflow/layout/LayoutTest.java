package io.sessionflow.layout;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The layout the tree promises, checked over the production classes of every module (the launcher's test
 * class path holds them all): services stand apart, {@code shared} is a library, SQL lives in stores.
 */
class LayoutTest {

    private static final List<String> SERVICES = List.of(
            "io.sessionflow.gateway..", "io.sessionflow.runworker..", "io.sessionflow.summarizer..", "io.sessionflow.context..");

    /**
     * Classes that use JDBC outside a store package today, frozen here so that the list can only shrink: each
     * runs its own SQL inside a feature class (a session's claim, a run's start and commit, a snapshot kind's
     * write) and moving that SQL into a store is a change of its own. A new class outside a store package that
     * uses {@code java.sql} fails the rule.
     */
    private static final Set<String> FROZEN_SQL_USERS = Set.of(
            "io.sessionflow.health.Readiness",                    // the database probe: one SELECT 1
            "io.sessionflow.snapshot.SnapshotKind",               // a snapshot kind's read and write, one per kind:
            "io.sessionflow.summarizer.SummaryKind",              //   the summary's
            "io.sessionflow.context.ContextKind",                 //   the context's
            "io.sessionflow.gateway.SessionsApi",                 // session routes that open their own transaction
            "io.sessionflow.gateway.webhook.WebhookDispatcher",   // the webhook outbox: claim, mark, retry
            "io.sessionflow.runworker.RunStarts",                 // a batch of run starts in one transaction
            "io.sessionflow.runworker.RunCommits",                // a batch of run commits in one transaction
            "io.sessionflow.runworker.TeamMembers");              // a team run's member rows

    private static final JavaClasses PRODUCTION = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            // Test code published as test-jars (the embedded stack's extension and its tests) is not production code either.
            .withImportOption(location -> !location.contains("-tests.jar"))
            .importPackages("io.sessionflow");

    @Test
    void noServiceDependsOnAnother() {
        for (String service : SERVICES) {
            String[] others = SERVICES.stream().filter(s -> !s.equals(service)).toArray(String[]::new);
            noClasses().that().resideInAPackage(service)
                    .should().dependOnClassesThat().resideInAnyPackage(others)
                    .because("services share code only through shared, so each deploys, scales and changes on its own")
                    .check(PRODUCTION);
        }
    }

    @Test
    void sharedHasNoMain() {
        methods().that().haveName("main").and().areStatic()
                .should().beDeclaredInClassesThat(DescribedPredicate.not(IN_SHARED))
                .because("shared is a library that services build on; each process starts in its own module")
                .check(PRODUCTION);
    }

    @Test
    void onlyStorePackagesUseJdbc() {
        noClasses().that().resideOutsideOfPackage("..store..")
                .and(DescribedPredicate.not(FROZEN))
                .should().dependOnClassesThat().resideInAPackage("java.sql..")
                .because("SQL lives beside the store that owns its tables, so a schema change is found in one package")
                .check(PRODUCTION);
    }

    private static final DescribedPredicate<JavaClass> IN_SHARED = DescribedPredicate.describe("in the shared module",
            c -> c.getSource().map(source -> source.getUri().toString())
                    .filter(uri -> uri.contains("/shared/target/classes/") || uri.contains("sessionflow-shared-")).isPresent());

    private static final DescribedPredicate<JavaClass> FROZEN = DescribedPredicate.describe("frozen JDBC users",
            c -> FROZEN_SQL_USERS.contains(c.getName().replaceAll("\\$.*", "")));
}
