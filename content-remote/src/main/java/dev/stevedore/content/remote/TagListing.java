package dev.stevedore.content.remote;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.jspecify.annotations.Nullable;

/**
 * One walk over the tag list of a repository ({@code GET /v2/<name>/tags/list?n=&last=}, then the
 * {@code Link} pages), one page per call. Tags at or before {@code last} are dropped and each page
 * is sorted, for registries that ignore {@code last} and do not sort (distribution 2.8). A
 * repository that does not exist yet (NAME_UNKNOWN) has no tags. Not thread-safe: one walk, one
 * thread.
 */
final class TagListing {
  private final RegistryClient client;
  private final String name;
  private final @Nullable String last;
  private @Nullable URI next;
  private int pages;

  TagListing(RegistryClient client, String name, @Nullable String last) {
    this.client = client;
    this.name = name;
    this.last = last == null || last.isEmpty() ? null : last;
    URI uri = client.uri("/v2/" + name + "/tags/list");
    int pageSize = client.options().tagListPageSize();
    if (pageSize > 0) {
      uri = Paging.withQuery(uri, "n", Integer.toString(pageSize));
    }
    if (this.last != null) {
      uri = Paging.withQuery(uri, "last", this.last);
    }
    this.next = uri;
  }

  /** The next non-empty page, or null when the listing is over. */
  @Nullable List<String> nextPage() throws IOException {
    while (next != null) {
      int maxPages = client.options().tagListMaxPages();
      if (maxPages > 0 && pages >= maxPages) {
        throw new PageLimitExceededException(
            "listing tags of "
                + client.host()
                + "/"
                + name
                + ": the registry has"
                + " more than "
                + maxPages
                + " pages of tags, the limit (tagListMaxPages); raise it, or continue after"
                + " the last tag received",
            maxPages);
      }
      pages++;
      Paging.Page page;
      try {
        page = Paging.get(client, next, Map.of(), "listing tags of " + name);
      } catch (RegistryResponseException e) {
        if (e.statusCode() == 404 && e.hasErrorCode("NAME_UNKNOWN")) {
          next = null;
          return null;
        }
        throw e;
      }
      next = page.next();
      List<String> tags =
          Paging.strings(page, "tags").stream()
              .filter(t -> last == null || t.compareTo(last) > 0)
              .sorted()
              .toList();
      if (!tags.isEmpty()) {
        return tags;
      }
    }
    return null;
  }

  /** The tags as a lazy stream: a page is fetched when the stream reaches it. */
  Stream<String> stream() {
    Spliterator<String> tags =
        new Spliterators.AbstractSpliterator<>(
            Long.MAX_VALUE, Spliterator.ORDERED | Spliterator.NONNULL) {
          private final ArrayDeque<String> buffered = new ArrayDeque<>();
          private boolean done;

          @Override
          public boolean tryAdvance(Consumer<? super String> action) {
            while (buffered.isEmpty() && !done) {
              try {
                List<String> page = nextPage();
                if (page == null) {
                  done = true;
                } else {
                  buffered.addAll(page);
                }
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            }
            if (buffered.isEmpty()) {
              return false;
            }
            action.accept(buffered.poll());
            return true;
          }
        };
    return StreamSupport.stream(tags, false);
  }
}
