package io.edgegate.gateway.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Config enum values are written the way people write them: {@code exactly-once}, {@code
 * exactly_once} and {@code EXACTLY_ONCE} all mean {@code EXACTLY_ONCE}.
 */
final class EnumNames {
  private EnumNames() {}

  static SimpleModule module() {
    SimpleModule m = new SimpleModule("edgegate-enum-names");
    m.setDeserializerModifier(
        new BeanDeserializerModifier() {
          @Override
          public JsonDeserializer<?> modifyEnumDeserializer(
              DeserializationConfig config,
              JavaType type,
              BeanDescription beanDesc,
              JsonDeserializer<?> deserializer) {
            return new Lenient(type.getRawClass());
          }
        });
    return m;
  }

  /** How a value is written in docs and messages: lower case with hyphens. */
  static String written(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  private static final class Lenient extends StdDeserializer<Enum<?>> {
    private static final long serialVersionUID = 1L;

    Lenient(Class<?> type) {
      super(type);
    }

    @Override
    public Enum<?> deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
      String text = p.getValueAsString();
      String name = text == null ? "" : text.trim().toUpperCase(Locale.ROOT).replace('-', '_');
      for (Object c : handledType().getEnumConstants()) {
        if (((Enum<?>) c).name().equals(name)) {
          return (Enum<?>) c;
        }
      }
      String allowed =
          Arrays.stream(handledType().getEnumConstants())
              .map(c -> written((Enum<?>) c))
              .collect(Collectors.joining(", "));
      throw InvalidFormatException.from(
          p, "'" + text + "' is not one of " + allowed, text, handledType());
    }
  }
}
