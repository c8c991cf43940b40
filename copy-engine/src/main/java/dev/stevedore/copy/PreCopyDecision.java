package dev.stevedore.copy;

/** What a {@link PreCopyHandler} tells the engine to do with a node. */
public enum PreCopyDecision {
  /** Copy the node. */
  COPY,
  /**
   * Do not copy the node: it is already at the destination (or the handler put it there). Its
   * children have already been copied; its parents proceed; the post-copy hook is not called.
   */
  SKIP
}
