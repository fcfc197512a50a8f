package dev.liveforum.event;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The JSON of an event record: one field per component, named as it is. Reading checks the payload: a
 * field a primitive component needs that is missing, or a field of another JSON type, is an
 * {@link IllegalArgumentException} naming the event and the field, so a malformed event is refused where
 * it is read instead of failing later as a null.
 */
final class EventJson {
  private static final Map<Class<?>, Shape> SHAPES = new ConcurrentHashMap<>();

  private EventJson() {}

  /** A record's components and canonical constructor. */
  private record Shape(RecordComponent[] components, Constructor<?> constructor) {}

  static JsonObject write(Record event) {
    JsonObject json = new JsonObject();
    for (RecordComponent c : shape(event.getClass()).components()) {
      try {
        json.put(c.getName(), c.getAccessor().invoke(event));
      } catch (IllegalAccessException | InvocationTargetException e) {
        throw new IllegalStateException("cannot read " + c.getName() + " of " + event.getClass().getName(), e);
      }
    }
    return json;
  }

  static <T extends Record> T read(Class<T> type, String eventType, JsonObject json) {
    if (json == null) {
      throw new IllegalArgumentException(eventType + " event has no data");
    }
    Shape shape = shape(type);
    Object[] values = new Object[shape.components().length];
    for (int i = 0; i < values.length; i++) {
      values[i] = value(eventType, shape.components()[i], json);
    }
    try {
      return type.cast(shape.constructor().newInstance(values));
    } catch (InstantiationException | IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException("cannot make " + type.getName(), e);
    }
  }

  /** The JSON fields of an event record, in order. */
  static List<String> fields(Class<? extends Record> type) {
    return Arrays.stream(shape(type).components()).map(RecordComponent::getName).toList();
  }

  private static Object value(String eventType, RecordComponent c, JsonObject json) {
    String name = c.getName();
    Class<?> t = c.getType();
    Object raw = json.getValue(name);
    if (raw == null) {
      if (t.isPrimitive()) {
        throw new IllegalArgumentException(eventType + " event lacks " + name);
      }
      return null;
    }
    try {
      if (t == long.class || t == Long.class) {
        return json.getLong(name);
      } else if (t == int.class || t == Integer.class) {
        return json.getInteger(name);
      } else if (t == boolean.class || t == Boolean.class) {
        return json.getBoolean(name);
      } else if (t == String.class) {
        return json.getString(name);
      } else if (t == JsonObject.class) {
        return json.getJsonObject(name);
      } else if (t == JsonArray.class) {
        return json.getJsonArray(name);
      }
    } catch (ClassCastException e) {
      throw new IllegalArgumentException(eventType + " event has " + name + " of the wrong type: "
          + raw.getClass().getSimpleName() + " where " + t.getSimpleName() + " belongs");
    }
    throw new IllegalStateException(name + " of " + eventType + " has a type events cannot carry: " + t);
  }

  private static Shape shape(Class<?> type) {
    return SHAPES.computeIfAbsent(type, k -> {
      RecordComponent[] components = k.getRecordComponents();
      try {
        Constructor<?> ctor = k.getDeclaredConstructor(
            Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
        return new Shape(components, ctor);
      } catch (NoSuchMethodException e) {
        throw new IllegalStateException(k + " is not a record", e);
      }
    });
  }
}
