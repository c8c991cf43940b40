package dev.stevedore.content;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.stevedore.content.internal.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reads and writes descriptors, platforms, manifests and indexes token by token, with Jackson's
 * streaming API: no object mapper (whose set-up costs a command more than all its JSON work) and no
 * tree of the document.
 *
 * <p>Writing gives the bytes of the OCI Go types (field order, omitted empty fields, Go's escapes),
 * which the records' Jackson annotations also describe for users who bind them with their own
 * mapper. Reading is Go's encoding/json's: unknown fields are skipped, a later duplicate field
 * wins, {@code null} leaves a field unset (a size or schema version must not be null), a value of
 * the wrong JSON type is an error (a number where a string belongs, a string where a size belongs),
 * and nothing may follow the document. Every error names the field, e.g. {@code malformed manifest:
 * layers[2].digest: invalid digest ...}.
 */
final class OciJson {
  private OciJson() {}

  /** A value of the wrong shape at a path of the document; becomes the caller's message. */
  private static final class Malformed extends Exception {
    private static final long serialVersionUID = 1L;

    Malformed(String path, String problem, @Nullable Throwable cause) {
      super(path.isEmpty() ? problem : path + ": " + problem, cause, false, false);
    }
  }

  // ---------------------------------------------------------------- reading

  /** Reads a whole document with one reader, or says in one message why it cannot. */
  private interface Reader<T> {
    T read(JsonParser parser, String path) throws IOException, Malformed;
  }

  private static <T> T parse(byte[] json, String what, Reader<T> reader)
      throws InvalidDescriptorException {
    try (JsonParser parser = Json.parser(json)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        throw new Malformed("", "empty document", null);
      }
      if (first != JsonToken.START_OBJECT) {
        throw new Malformed("", "not a JSON object but " + kind(first), null);
      }
      T value = reader.read(parser, "");
      if (parser.nextToken() != null) {
        throw new Malformed("", "data after the end of the JSON object", null);
      }
      return value;
    } catch (Malformed e) {
      throw new InvalidDescriptorException("malformed " + what + ": " + e.getMessage(), e);
    } catch (IOException e) {
      throw Json.malformed(what, e);
    }
  }

  static Descriptor parseDescriptor(byte[] json) throws InvalidDescriptorException {
    return parse(json, "descriptor", OciJson::descriptor);
  }

  static Manifest parseManifest(byte[] json) throws InvalidDescriptorException {
    return parse(json, "manifest", OciJson::manifest);
  }

  static Index parseIndex(byte[] json) throws InvalidDescriptorException {
    return parse(json, "index", OciJson::index);
  }

  /**
   * The descriptors of the named top-level fields, in the order of {@code fields}; a field may hold
   * one descriptor or an array of them.
   */
  static List<Descriptor> descriptorsOf(byte[] json, String what, String[] fields)
      throws InvalidDescriptorException {
    return parse(
        json,
        what,
        (parser, path) -> {
          @SuppressWarnings("unchecked")
          List<Descriptor>[] found = new List[fields.length];
          while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            int slot = indexOf(fields, name);
            JsonToken value = parser.nextToken();
            if (slot < 0) {
              parser.skipChildren();
            } else if (value == JsonToken.VALUE_NULL) {
              found[slot] = null; // a later duplicate wins, also when it is null
            } else if (value == JsonToken.START_ARRAY) {
              List<Descriptor> list = new ArrayList<>();
              while (parser.nextToken() != JsonToken.END_ARRAY) {
                list.add(descriptorIn(parser, name + "[" + list.size() + "]"));
              }
              found[slot] = list;
            } else {
              found[slot] = List.of(descriptorIn(parser, name));
            }
          }
          List<Descriptor> out = new ArrayList<>();
          for (List<Descriptor> list : found) {
            if (list != null) {
              out.addAll(list);
            }
          }
          return List.copyOf(out);
        });
  }

  private static int indexOf(String[] fields, String name) {
    for (int i = 0; i < fields.length; i++) {
      if (fields[i].equals(name)) {
        return i;
      }
    }
    return -1;
  }

  /** A descriptor where the parser stands on a value that must be one. */
  private static Descriptor descriptorIn(JsonParser parser, String path)
      throws IOException, Malformed {
    if (parser.currentToken() != JsonToken.START_OBJECT) {
      throw new Malformed("", path + " is not a descriptor object", null);
    }
    return descriptor(parser, path);
  }

  private static Descriptor descriptor(JsonParser parser, String path)
      throws IOException, Malformed {
    String mediaType = null;
    Digest digest = null;
    long size = 0;
    List<String> urls = null;
    Map<String, String> annotations = null;
    byte[] data = null;
    Platform platform = null;
    String artifactType = null;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      JsonToken value = parser.nextToken();
      switch (name) {
        case "mediaType" -> mediaType = string(parser, path, name);
        case "digest" -> digest = digest(parser, path);
        case "size" -> size = number(parser, path, name);
        case "urls" -> urls = strings(parser, path, name);
        case "annotations" -> annotations = annotations(parser, path);
        case "data" -> data = data(parser, path);
        case "platform" -> platform = value == JsonToken.VALUE_NULL ? null : platform(parser, path);
        case "artifactType" -> artifactType = string(parser, path, name);
        default -> parser.skipChildren();
      }
    }
    if (mediaType == null) {
      throw new Malformed(path, "descriptor mediaType is missing", null);
    }
    if (digest == null) {
      throw new Malformed(path, "descriptor digest is missing", null);
    }
    try {
      return new Descriptor(
          mediaType,
          digest,
          size,
          urls == null ? List.of() : urls,
          annotations == null ? Map.of() : annotations,
          data,
          platform,
          artifactType);
    } catch (IllegalArgumentException e) {
      throw new Malformed(path, String.valueOf(e.getMessage()), e);
    }
  }

  private static Platform platform(JsonParser parser, String path) throws IOException, Malformed {
    String where = join(path, "platform");
    if (parser.currentToken() != JsonToken.START_OBJECT) {
      throw new Malformed(where, "expected an object, found " + kind(parser.currentToken()), null);
    }
    String architecture = null;
    String os = null;
    String osVersion = null;
    List<String> osFeatures = null;
    String variant = null;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      parser.nextToken();
      switch (name) {
        case "architecture" -> architecture = string(parser, where, name);
        case "os" -> os = string(parser, where, name);
        case "os.version" -> osVersion = string(parser, where, name);
        case "os.features" -> osFeatures = strings(parser, where, name);
        case "variant" -> variant = string(parser, where, name);
        default -> parser.skipChildren();
      }
    }
    return new Platform(
        architecture == null ? "" : architecture,
        os == null ? "" : os,
        osVersion,
        osFeatures == null ? List.of() : osFeatures,
        variant);
  }

  private static Manifest manifest(JsonParser parser, String path) throws IOException, Malformed {
    Document d = Document.read(parser, path, "layers", true);
    if (d.config == null) {
      throw new Malformed(path, "manifest config is missing", null);
    }
    return new Manifest(
        d.schemaVersion,
        d.mediaType,
        d.artifactType,
        d.config,
        d.listOrEmpty(),
        d.subject,
        d.annotationsOrEmpty());
  }

  private static Index index(JsonParser parser, String path) throws IOException, Malformed {
    Document d = Document.read(parser, path, "manifests", false);
    return new Index(
        d.schemaVersion,
        d.mediaType,
        d.artifactType,
        d.listOrEmpty(),
        d.subject,
        d.annotationsOrEmpty());
  }

  /**
   * The top-level fields of a manifest or an index: the ones they share, their list of descriptors
   * ({@code layers} or {@code manifests}) and, for a manifest, its config.
   */
  private static final class Document {
    int schemaVersion;
    @Nullable String mediaType;
    @Nullable String artifactType;
    @Nullable Descriptor config;
    @Nullable List<Descriptor> list;
    @Nullable Descriptor subject;
    @Nullable Map<String, String> annotations;

    static Document read(JsonParser parser, String path, String listField, boolean withConfig)
        throws IOException, Malformed {
      Document d = new Document();
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        boolean isNull = parser.nextToken() == JsonToken.VALUE_NULL;
        if (name.equals(listField)) {
          d.list = descriptors(parser, name);
        } else if (withConfig && name.equals("config")) {
          d.config = isNull ? null : object(parser, name);
        } else {
          switch (name) {
            case "schemaVersion" -> d.schemaVersion = schemaVersion(parser, path);
            case "mediaType" -> d.mediaType = string(parser, path, name);
            case "artifactType" -> d.artifactType = string(parser, path, name);
            case "subject" -> d.subject = isNull ? null : object(parser, name);
            case "annotations" -> d.annotations = annotations(parser, path);
            default -> parser.skipChildren();
          }
        }
      }
      return d;
    }

    List<Descriptor> listOrEmpty() {
      return list == null ? List.of() : list;
    }

    Map<String, String> annotationsOrEmpty() {
      return annotations == null ? Map.of() : annotations;
    }
  }

  /** A descriptor that must be an object (a manifest's config or subject). */
  private static Descriptor object(JsonParser parser, String path) throws IOException, Malformed {
    if (parser.currentToken() != JsonToken.START_OBJECT) {
      throw new Malformed(path, "expected an object, found " + kind(parser.currentToken()), null);
    }
    return descriptor(parser, path);
  }

  /** An array of descriptors, or null. */
  private static @Nullable List<Descriptor> descriptors(JsonParser parser, String path)
      throws IOException, Malformed {
    JsonToken token = parser.currentToken();
    if (token == JsonToken.VALUE_NULL) {
      return null;
    }
    if (token != JsonToken.START_ARRAY) {
      throw new Malformed(path, "expected an array, found " + kind(token), null);
    }
    List<Descriptor> list = new ArrayList<>();
    while (parser.nextToken() != JsonToken.END_ARRAY) {
      String where = path + "[" + list.size() + "]";
      if (parser.currentToken() != JsonToken.START_OBJECT) {
        throw new Malformed(
            where, "expected an object, found " + kind(parser.currentToken()), null);
      }
      list.add(descriptor(parser, where));
    }
    return list;
  }

  private static @Nullable String string(JsonParser parser, String path, String name)
      throws IOException, Malformed {
    JsonToken token = parser.currentToken();
    if (token == JsonToken.VALUE_STRING) {
      return parser.getText();
    }
    if (token == JsonToken.VALUE_NULL) {
      return null;
    }
    throw new Malformed(join(path, name), "expected a string, found " + kind(token), null);
  }

  private static @Nullable List<String> strings(JsonParser parser, String path, String name)
      throws IOException, Malformed {
    JsonToken token = parser.currentToken();
    if (token == JsonToken.VALUE_NULL) {
      return null;
    }
    String where = join(path, name);
    if (token != JsonToken.START_ARRAY) {
      throw new Malformed(where, "expected an array of strings, found " + kind(token), null);
    }
    List<String> list = new ArrayList<>();
    while ((token = parser.nextToken()) == JsonToken.VALUE_STRING) {
      list.add(parser.getText());
    }
    if (token != JsonToken.END_ARRAY) {
      throw new Malformed(
          where + "[" + list.size() + "]", "expected a string, found " + kind(token), null);
    }
    return list;
  }

  private static @Nullable Map<String, String> annotations(JsonParser parser, String path)
      throws IOException, Malformed {
    JsonToken token = parser.currentToken();
    if (token == JsonToken.VALUE_NULL) {
      return null;
    }
    String where = join(path, "annotations");
    if (token != JsonToken.START_OBJECT) {
      throw new Malformed(where, "expected an object of strings, found " + kind(token), null);
    }
    Map<String, String> map = new LinkedHashMap<>();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String key = parser.currentName();
      token = parser.nextToken();
      if (token != JsonToken.VALUE_STRING) {
        throw new Malformed(join(where, key), "expected a string, found " + kind(token), null);
      }
      map.put(key, parser.getText());
    }
    return map;
  }

  private static @Nullable Digest digest(JsonParser parser, String path)
      throws IOException, Malformed {
    String text = string(parser, path, "digest");
    if (text == null) {
      return null;
    }
    try {
      return Digest.parse(text);
    } catch (InvalidDescriptorException e) {
      throw new Malformed(join(path, "digest"), String.valueOf(e.getMessage()), e);
    }
  }

  private static byte @Nullable [] data(JsonParser parser, String path)
      throws IOException, Malformed {
    JsonToken token = parser.currentToken();
    if (token == JsonToken.VALUE_NULL) {
      return null;
    }
    if (token != JsonToken.VALUE_STRING) {
      throw new Malformed(
          join(path, "data"), "expected a base64 string, found " + kind(token), null);
    }
    try {
      return parser.getBinaryValue();
    } catch (IOException e) {
      throw new Malformed(join(path, "data"), "not valid base64", e);
    }
  }

  private static long number(JsonParser parser, String path, String name)
      throws IOException, Malformed {
    JsonToken token = parser.currentToken();
    if (token != JsonToken.VALUE_NUMBER_INT) {
      throw new Malformed(join(path, name), "expected an integer, found " + kind(token), null);
    }
    if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
      throw new Malformed(join(path, name), "out of range: " + parser.getText(), null);
    }
    return parser.getLongValue();
  }

  private static int schemaVersion(JsonParser parser, String path) throws IOException, Malformed {
    long value = number(parser, path, "schemaVersion");
    if (value != (int) value) {
      throw new Malformed(join(path, "schemaVersion"), "out of range: " + value, null);
    }
    return (int) value;
  }

  private static String join(String path, String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  private static String kind(@Nullable JsonToken token) {
    if (token == null) {
      return "the end of the document";
    }
    return switch (token) {
      case START_OBJECT -> "an object";
      case START_ARRAY -> "an array";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      default -> token.asString() == null ? token.name() : token.asString();
    };
  }

  // ---------------------------------------------------------------- writing

  /** Writes one value with a generator. */
  private interface Writer<T> {
    void write(JsonGenerator generator, T value) throws IOException;
  }

  private static <T> byte[] write(T value, Writer<T> writer) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator generator = Json.generator(out)) {
      writer.write(generator, value);
    } catch (IOException e) {
      // only a string the generator refuses (an unpaired surrogate) gets here
      throw new IllegalArgumentException(
          "cannot serialize " + value.getClass().getSimpleName() + ": " + e.getMessage(), e);
    }
    return out.toByteArray();
  }

  static byte[] write(Descriptor descriptor) {
    return write(descriptor, OciJson::descriptor);
  }

  static byte[] write(Manifest manifest) {
    return write(manifest, OciJson::manifest);
  }

  static byte[] write(Index index) {
    return write(index, OciJson::index);
  }

  private static void descriptor(JsonGenerator g, Descriptor d) throws IOException {
    g.writeStartObject();
    g.writeStringField("mediaType", d.mediaType());
    g.writeStringField("digest", d.digest().toString());
    g.writeNumberField("size", d.size());
    strings(g, "urls", d.urls());
    annotations(g, d.annotations());
    byte[] data = d.data();
    if (data != null && data.length > 0) {
      g.writeBinaryField("data", data);
    }
    Platform platform = d.platform();
    if (platform != null) {
      g.writeFieldName("platform");
      platform(g, platform);
    }
    optional(g, "artifactType", d.artifactType());
    g.writeEndObject();
  }

  private static void platform(JsonGenerator g, Platform p) throws IOException {
    g.writeStartObject();
    g.writeStringField("architecture", p.architecture());
    g.writeStringField("os", p.os());
    optional(g, "os.version", p.osVersion());
    strings(g, "os.features", p.osFeatures());
    optional(g, "variant", p.variant());
    g.writeEndObject();
  }

  private static void manifest(JsonGenerator g, Manifest m) throws IOException {
    g.writeStartObject();
    g.writeNumberField("schemaVersion", m.schemaVersion());
    optional(g, "mediaType", m.mediaType());
    optional(g, "artifactType", m.artifactType());
    g.writeFieldName("config");
    descriptor(g, m.config());
    descriptors(g, "layers", m.layers());
    subject(g, m.subject());
    annotations(g, m.annotations());
    g.writeEndObject();
  }

  private static void index(JsonGenerator g, Index i) throws IOException {
    g.writeStartObject();
    g.writeNumberField("schemaVersion", i.schemaVersion());
    optional(g, "mediaType", i.mediaType());
    optional(g, "artifactType", i.artifactType());
    descriptors(g, "manifests", i.manifests());
    subject(g, i.subject());
    annotations(g, i.annotations());
    g.writeEndObject();
  }

  private static void descriptors(JsonGenerator g, String name, List<Descriptor> list)
      throws IOException {
    g.writeArrayFieldStart(name);
    for (Descriptor d : list) {
      descriptor(g, d);
    }
    g.writeEndArray();
  }

  private static void subject(JsonGenerator g, @Nullable Descriptor subject) throws IOException {
    if (subject != null) {
      g.writeFieldName("subject");
      descriptor(g, subject);
    }
  }

  /** Annotations, already in code point order; omitted when empty. */
  private static void annotations(JsonGenerator g, Map<String, String> annotations)
      throws IOException {
    if (annotations.isEmpty()) {
      return;
    }
    g.writeObjectFieldStart("annotations");
    for (Map.Entry<String, String> e : annotations.entrySet()) {
      g.writeStringField(e.getKey(), e.getValue());
    }
    g.writeEndObject();
  }

  /** An array of strings, omitted when empty (Go's omitempty). */
  private static void strings(JsonGenerator g, String name, List<String> values)
      throws IOException {
    if (values.isEmpty()) {
      return;
    }
    g.writeArrayFieldStart(name);
    for (String value : values) {
      g.writeString(value);
    }
    g.writeEndArray();
  }

  /** A string field omitted when null or empty (Go's omitempty). */
  private static void optional(JsonGenerator g, String name, @Nullable String value)
      throws IOException {
    if (value != null && !value.isEmpty()) {
      g.writeStringField(name, value);
    }
  }
}
