package io.sessionflow.client;

import java.util.List;

/** One page of a listing: its items, the total over all pages, and the page asked for. */
public record Page<T>(List<T> items, long total, int page, int limit) {
}
