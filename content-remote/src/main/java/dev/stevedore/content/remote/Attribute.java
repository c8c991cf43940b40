package dev.stevedore.content.remote;

import java.util.Objects;

/**
 * The typed key of a value that one layer of the HTTP seam attaches to a response for another
 * (OkHttp's tags): how authentication went, how many attempts were made. Layers pass such values,
 * never invented protocol headers. Compared by identity: each layer declares its keys once.
 *
 * @param <T> the type of the value
 */
final class Attribute<T> {
  private final String name;
  private final Class<T> type;

  Attribute(String name, Class<T> type) {
    this.name = Objects.requireNonNull(name, "name");
    this.type = Objects.requireNonNull(type, "type");
  }

  T cast(Object value) {
    return type.cast(value);
  }

  @Override
  public String toString() {
    return name;
  }
}
