package dev.stevedore.content.remote;

import dev.stevedore.content.ContentException;

/**
 * A paged listing (tags, referrers) needed more pages than the limit allows ({@link
 * RegistryOptions.AbstractBuilder#tagListMaxPages}, {@link
 * RegistryOptions.AbstractBuilder#referrerListMaxPages}); the pages within the limit were delivered
 * before it was thrown.
 */
public class PageLimitExceededException extends ContentException {
  private static final long serialVersionUID = 1L;

  /** The limit, serialized with the exception. */
  private final int maxPages;

  /**
   * Creates the exception.
   *
   * @param message what was listed, the limit, and the option that raises it
   * @param maxPages the limit
   */
  public PageLimitExceededException(String message, int maxPages) {
    super(message);
    this.maxPages = maxPages;
  }

  /**
   * The limit that was reached.
   *
   * @return the most pages allowed
   */
  public int maxPages() {
    return maxPages;
  }
}
