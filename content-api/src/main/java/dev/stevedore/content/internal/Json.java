package dev.stevedore.content.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.stevedore.content.Digest;
import dev.stevedore.content.InvalidDescriptorException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.Comparator;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The one Jackson configuration of Stevedore: compact writing with Go's encoding/json escaping, so
 * that the bytes Stevedore writes equal oras-go's, and nesting-bounded reading. The OCI types read
 * and write themselves token by token with its parsers and generators; the object mapper (lenient:
 * unknown fields ignored), for every other document, is made on first use.
 *
 * <p>Not API: exported only to Stevedore's own modules.
 */
public final class Json {

  /**
   * Orders strings by code point, which is the byte order of their UTF-8 form (Go's map-key order).
   */
  public static final Comparator<String> CODE_POINT_ORDER = Json::compareCodePoints;

  private static final SortedMap<String, String> EMPTY =
      Collections.unmodifiableSortedMap(new TreeMap<>(CODE_POINT_ORDER));

  /**
   * The one factory of parsers and generators, the mapper's too: nesting bounded, Go's escapes. The
   * OCI types are read and written with it directly (token by token); the mapper is made only when
   * something asks for it, since setting it up costs a command more than all its JSON work.
   */
  private static final JsonFactory FACTORY = newFactory();

  private Json() {}

  /** The mapper, made on first use. */
  private static final class Mapper {
    static final ObjectMapper MAPPER = newMapper();
  }

  /**
   * The shared mapper. Do not reconfigure it.
   *
   * @return the mapper
   */
  public static ObjectMapper mapper() {
    return Mapper.MAPPER;
  }

  /**
   * A streaming parser of bytes, with the shared settings.
   *
   * @param json the bytes
   * @return the parser, to be closed
   * @throws IOException never for bytes in practice (Jackson's signature)
   */
  public static JsonParser parser(byte[] json) throws IOException {
    return FACTORY.createParser(json);
  }

  /**
   * A streaming generator writing compact UTF-8 with Go's escaping.
   *
   * @param out where to write
   * @return the generator, to be closed
   * @throws IOException never for an in-memory stream in practice (Jackson's signature)
   */
  public static JsonGenerator generator(OutputStream out) throws IOException {
    return FACTORY.createGenerator(out);
  }

  /**
   * Some fields of a JSON object document, read token by token (no tree, no mapper): for each
   * dotted path asked for (e.g. {@code subject.digest}) that the document has, the text of its
   * value when that is a string, its JSON text for another scalar ({@code 5}, {@code true}, {@code
   * null}), or {@code {…}} / {@code […]} for an object or an array. The whole document is read, so
   * malformed JSON anywhere in it is an error. A later duplicate field wins.
   *
   * @param json the bytes
   * @param what what the bytes are supposed to be, for the message
   * @param paths the dotted paths of the fields wanted
   * @return the values found, by path; empty when the document is not an object
   * @throws InvalidDescriptorException if the bytes are not valid JSON
   */
  public static Map<String, String> fields(byte[] json, String what, String... paths)
      throws InvalidDescriptorException {
    Map<String, String> found = new java.util.HashMap<>();
    try (JsonParser parser = parser(json)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        throw new InvalidDescriptorException("malformed " + what + ": empty document");
      }
      if (first == JsonToken.START_OBJECT) {
        fields(parser, "", paths, found);
      } else {
        parser.skipChildren();
      }
      if (parser.nextToken() != null) {
        throw new InvalidDescriptorException(
            "malformed " + what + ": data after the end of the JSON document");
      }
    } catch (InvalidDescriptorException e) {
      throw e;
    } catch (IOException e) {
      throw malformed(what, e);
    }
    return found;
  }

  /** Reads the members of the object the parser is in, below {@code prefix}. */
  private static void fields(
      JsonParser parser, String prefix, String[] paths, Map<String, String> found)
      throws IOException {
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String path = prefix + parser.currentName();
      JsonToken value = parser.nextToken();
      if (value == null) {
        return; // the end of the input: the caller's next read reports it
      }
      boolean wanted = false;
      boolean below = false;
      for (String p : paths) {
        wanted |= p.equals(path);
        below |= p.length() > path.length() && p.startsWith(path) && p.charAt(path.length()) == '.';
      }
      if (wanted) {
        found.put(
            path,
            switch (value) {
              case START_OBJECT -> "{…}";
              case START_ARRAY -> "[…]";
              default -> parser.getText();
            });
      }
      if (below && value == JsonToken.START_OBJECT) {
        fields(parser, path + ".", paths, found);
      } else {
        parser.skipChildren();
      }
    }
  }

  /**
   * The error for bytes that could not be read as JSON of the expected shape.
   *
   * @param what what the bytes are supposed to be, e.g. "manifest"
   * @param e the parser's failure
   * @return an exception whose message starts with "malformed WHAT: " and says where
   */
  public static InvalidDescriptorException malformed(String what, IOException e) {
    return new InvalidDescriptorException("malformed " + what + ": " + describe(e), e);
  }

  /**
   * Serializes a value compactly with Go-compatible escaping.
   *
   * @param value the value
   * @return UTF-8 JSON
   */
  public static byte[] write(Object value) {
    try {
      return mapper().writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("cannot serialize " + value.getClass().getSimpleName(), e);
    }
  }

  /**
   * Parses JSON into a type, turning every Jackson failure into an {@link
   * InvalidDescriptorException} with a message that says what was being read.
   *
   * @param json the bytes
   * @param type the target type
   * @param what what the bytes are supposed to be, e.g. "manifest", for the message
   * @param <T> the type
   * @return the value
   * @throws InvalidDescriptorException if the bytes are not valid JSON of that shape
   */
  public static <T> T read(byte[] json, Class<T> type, String what)
      throws InvalidDescriptorException {
    try {
      T value = mapper().readValue(json, type);
      if (value == null) {
        throw new InvalidDescriptorException("malformed " + what + ": JSON null");
      }
      return value;
    } catch (IOException e) {
      throw new InvalidDescriptorException("malformed " + what + ": " + describe(e), e);
    }
  }

  /**
   * Parses JSON into a tree.
   *
   * @param json the bytes
   * @param what what the bytes are supposed to be, for the message
   * @return the tree
   * @throws InvalidDescriptorException if the bytes are not valid JSON
   */
  public static JsonNode tree(byte[] json, String what) throws InvalidDescriptorException {
    try {
      JsonNode node = mapper().readTree(json);
      if (node == null || node.isMissingNode()) {
        throw new InvalidDescriptorException("malformed " + what + ": empty document");
      }
      return node;
    } catch (IOException e) {
      throw new InvalidDescriptorException("malformed " + what + ": " + describe(e), e);
    }
  }

  /**
   * The digest a manifest's {@code subject} names, for stores that index referrers without
   * depending on Jackson themselves.
   *
   * @param json the manifest bytes
   * @param what what the bytes are supposed to be, for the message
   * @return the subject's digest, or null when there is no subject or its digest is not a valid one
   * @throws InvalidDescriptorException if the bytes are not valid JSON
   */
  public static @Nullable Digest subjectDigest(byte[] json, String what)
      throws InvalidDescriptorException {
    JsonNode subject = tree(json, what).path("subject").path("digest");
    return subject.isTextual() ? Digest.tryParse(subject.asText()).orElse(null) : null;
  }

  /**
   * An unmodifiable copy of a string map, sorted by code point.
   *
   * @param map the map, may be null
   * @return the sorted copy (empty for null)
   * @throws IllegalArgumentException if a key or value is null
   */
  public static SortedMap<String, String> sortedCopy(@Nullable Map<String, String> map) {
    if (map == null || map.isEmpty()) {
      return EMPTY;
    }
    TreeMap<String, String> sorted = new TreeMap<>(CODE_POINT_ORDER);
    for (Map.Entry<String, String> e : map.entrySet()) {
      if (e.getKey() == null || e.getValue() == null) {
        throw new IllegalArgumentException(
            "annotation keys and values must not be null: " + e.getKey());
      }
      sorted.put(e.getKey(), e.getValue());
    }
    return Collections.unmodifiableSortedMap(sorted);
  }

  private static String describe(IOException e) {
    Throwable t = e;
    if (e instanceof ValueInstantiationException vie && vie.getCause() != null) {
      t = vie.getCause();
      return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
    if (e instanceof JsonProcessingException jpe) {
      String location =
          jpe.getLocation() == null
              ? ""
              : " (line "
                  + jpe.getLocation().getLineNr()
                  + ", column "
                  + jpe.getLocation().getColumnNr()
                  + ")";
      String message = jpe.getOriginalMessage();
      int newline = message == null ? -1 : message.indexOf('\n');
      return (newline > 0 ? message.substring(0, newline) : message) + location;
    }
    return String.valueOf(t.getMessage());
  }

  private static int compareCodePoints(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }

  private static JsonFactory newFactory() {
    JsonFactory factory =
        JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
            .build();
    factory.setCharacterEscapes(new GoEscapes());
    return factory;
  }

  private static ObjectMapper newMapper() {
    return JsonMapper.builder(FACTORY)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .disable(com.fasterxml.jackson.databind.SerializationFeature.FAIL_ON_EMPTY_BEANS)
        .configure(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN, true)
        .build();
  }

  /**
   * Go's encoding/json escapes {@code <}, {@code >}, {@code &}, U+2028 and U+2029 as \\u sequences.
   */
  private static final class GoEscapes extends CharacterEscapes {
    private static final long serialVersionUID = 1L;
    private final int[] table;

    GoEscapes() {
      table = CharacterEscapes.standardAsciiEscapesForJSON();
      table['<'] = CharacterEscapes.ESCAPE_CUSTOM;
      table['>'] = CharacterEscapes.ESCAPE_CUSTOM;
      table['&'] = CharacterEscapes.ESCAPE_CUSTOM;
    }

    @Override
    public int[] getEscapeCodesForAscii() {
      return table;
    }

    @Override
    public @Nullable SerializableString getEscapeSequence(int ch) {
      return switch (ch) {
        case '<' -> new SerializedString("\\u003c");
        case '>' -> new SerializedString("\\u003e");
        case '&' -> new SerializedString("\\u0026");
        case 0x2028 -> new SerializedString("\\u2028");
        case 0x2029 -> new SerializedString("\\u2029");
        default -> null;
      };
    }
  }
}
