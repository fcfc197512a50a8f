package dev.liveforum.event;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/events.md is the catalogue of domain events: who produces each, who subscribes to it (through
 * which list of {@link Events}), and its fields. This test computes the same table from the code (the
 * records' components, the classes that construct a record, the classes that name a subscription list)
 * and fails with the table the code has when the two differ.
 */
class EventCatalogueTest {
  private static final Path MAIN = Path.of("src/main/java");
  private static final Path CATALOGUE = Path.of("docs/events.md");

  @Test
  @DisplayName("docs/events.md lists every event with its producer, consumers and fields, as the code has them")
  void catalogueMatchesTheCode() throws IOException {
    String expected = table();
    String doc = Files.readString(CATALOGUE);
    int start = doc.indexOf("| event |");
    assertTrue(start >= 0, "docs/events.md has no table starting with '| event |'; the code's:\n" + expected);
    int end = doc.indexOf("\n\n", start);
    String documented = (end < 0 ? doc.substring(start) : doc.substring(start, end)).strip();
    assertEquals(expected, documented, "docs/events.md disagrees with the code; the code's table:\n" + expected);
  }

  @Test
  @DisplayName("every event's JSON reads back as the record it was written from; a payload missing a field is refused")
  void recordsReadWhatTheyWrite() {
    PostEvents.Created post = new PostEvents.Created(7, 1, 2, "ann", "Title", "2026-01-01T00:00:00Z", "text");
    DomainEvent event = DomainEvent.of(post, "req-1");
    DomainEvent read = DomainEvent.from(new JsonObject(event.toJson().encode()));
    assertEquals(event, read);
    assertEquals("event.post.created", read.address());

    JsonObject missing = post.toJson();
    missing.remove("boardId");
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
        () -> Events.read(PostEvents.Created.TYPE, missing));
    assertEquals("post.created event lacks boardId", refused.getMessage());
    JsonObject wrong = post.toJson().put("authorId", "ann");
    assertThrows(IllegalArgumentException.class, () -> Events.read(PostEvents.Created.TYPE, wrong));
    assertThrows(IllegalArgumentException.class, () -> Events.read("post.liked", post.toJson()));
  }

  /** The catalogue as the code has it, one row per event type in alphabetical order. */
  private static String table() {
    Map<String, String> sources = sources();
    List<String> rows = new ArrayList<>();
    rows.add("| event | producer | consumers (through the list of Events) | fields |");
    rows.add("|---|---|---|---|");
    for (String type : new TreeSet<>(Events.types())) {
      Class<? extends EventData> record = Events.recordOf(type);
      String construct = "new " + record.getEnclosingClass().getSimpleName() + "." + record.getSimpleName() + "(";
      String producers = sources.entrySet().stream().filter(e -> e.getValue().contains(construct))
          .map(Map.Entry::getKey).sorted().collect(Collectors.joining(", "));
      String consumers = consumers(type, sources);
      String fields = Events.fields(record.asSubclass(Record.class)).stream().collect(Collectors.joining(", "));
      rows.add("| `" + type + "` | " + producers + " | " + consumers + " | " + fields + " |");
    }
    return String.join("\n", rows);
  }

  /** Classes that name a subscription list holding {@code type}: {@code Class (LIST)}, by class. */
  private static String consumers(String type, Map<String, String> sources) {
    Map<String, TreeSet<String>> byClass = new TreeMap<>();
    for (Field list : Events.class.getFields()) {
      if (!Modifier.isStatic(list.getModifiers()) || !Collection.class.isAssignableFrom(list.getType())) {
        continue;
      }
      try {
        if (!((Collection<?>) list.get(null)).contains(type)) {
          continue;
        }
      } catch (IllegalAccessException e) {
        throw new IllegalStateException(e);
      }
      String named = "Events." + list.getName();
      sources.forEach((name, text) -> {
        if (text.matches("(?s).*\\b" + named.replace(".", "\\.") + "\\b.*")) {
          byClass.computeIfAbsent(name, k -> new TreeSet<>()).add(list.getName());
        }
      });
    }
    return byClass.entrySet().stream().map(e -> e.getKey() + " (" + String.join(", ", e.getValue()) + ")")
        .collect(Collectors.joining(", "));
  }

  /** Main classes outside the event package: simple name → source. */
  private static Map<String, String> sources() {
    try (Stream<Path> files = Files.walk(MAIN)) {
      Map<String, String> out = new TreeMap<>();
      files.filter(f -> f.toString().endsWith(".java"))
          .filter(f -> !f.getParent().endsWith(Path.of("dev/liveforum/event")))
          .forEach(f -> {
            try {
              out.put(f.getFileName().toString().replace(".java", ""), Files.readString(f));
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          });
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
