package dev.liveforum;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Settings at the bottom, the launcher at the top, roles in between knowing none of each other: read from
 * the sources, so a reference that breaks it names its file and line. A package under {@code dev.liveforum}
 * is the launcher's ({@code launch}, {@code Main}, the embedded {@code devservices} it starts), shared
 * (below), or a role (every other one, with its subpackages: {@code http.page} is the HTTP role's).
 */
@DisplayName("Architecture: settings at the bottom, the launcher at the top, no role reaching into another")
class ArchitectureTest {
  private static final Path SOURCES = Path.of("src/main/java");
  private static final String LAUNCH = "launch";
  private static final Set<String> LAUNCHER = Set.of(LAUNCH, "devservices");
  /** What every role may use: the bus contract, auth, net and the settings. */
  private static final Set<String> SHARED = Set.of("bus", "auth", "net", "config", "event");
  /** Any mention of a class of ours: an import (static or on demand), or a name written out in full. */
  private static final Pattern REFERENCE =
      Pattern.compile("\\bdev\\.liveforum\\.(?:([a-z][a-z0-9]*)(?:\\.[a-z][a-z0-9]*)*\\.)?[A-Z*]");

  /** One line of one file that names a class of another top-level package. */
  private record Reference(String from, String to, String where) {}

  @Test
  @DisplayName("the settings package uses no other package of LiveForum")
  void settingsAreALeaf() throws IOException {
    assertNone(references().stream().filter(r -> r.from.equals("config")).toList(),
        "config (settings) may use only the JDK and Vert.x");
  }

  @Test
  @DisplayName("the domain events use no other package of LiveForum")
  void eventsAreALeaf() throws IOException {
    assertNone(references().stream().filter(r -> r.from.equals("event")).toList(),
        "event (the domain events) may use only the JDK and Vert.x");
  }

  @Test
  @DisplayName("a role uses no other role and nothing of the launcher's")
  void rolesStandApart() throws IOException {
    assertNone(references().stream().filter(r -> role(r.from) && !SHARED.contains(r.to)).toList(),
        "a role may use " + String.join(", ", SHARED.stream().sorted().toList()) + ", never another role or "
            + String.join(", ", LAUNCHER.stream().sorted().toList()));
  }

  @Test
  @DisplayName("a shared package uses no role and nothing of the launcher's")
  void sharedBelowRoles() throws IOException {
    assertNone(references().stream().filter(r -> SHARED.contains(r.from) && !SHARED.contains(r.to)).toList(),
        "a shared package (" + String.join(", ", SHARED.stream().sorted().toList()) + ") may use only shared ones");
  }

  @Test
  @DisplayName("the check sees the references it rules on")
  void seesReferences() throws IOException {
    List<Reference> all = references();
    assertTrue(all.stream().anyMatch(r -> r.from.equals("http") && r.to.equals("config")), "http uses config");
    assertTrue(all.stream().anyMatch(r -> r.from.equals(LAUNCH) && r.to.equals("persistence")),
        "the launcher deploys persistence");
    assertTrue(all.stream().anyMatch(r -> r.from.equals("http") && r.to.equals("bus")), "http uses bus");
  }

  private static boolean role(String pkg) {
    return !LAUNCHER.contains(pkg) && !SHARED.contains(pkg);
  }

  private static void assertNone(List<Reference> offences, String rule) {
    assertEquals(List.of(), offences.stream().map(Reference::where).toList(), rule);
  }

  /** Every reference from one top-level package of ours to another; {@code dev.liveforum} itself counts as the launcher. */
  private static List<Reference> references() throws IOException {
    Path root = SOURCES.resolve("dev/liveforum");
    List<Reference> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
        Path relative = root.relativize(file);
        String from = relative.getNameCount() == 1 ? LAUNCH : relative.getName(0).toString();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
          String line = lines.get(i);
          if (line.startsWith("package ")) {
            continue;
          }
          Matcher m = REFERENCE.matcher(line);
          while (m.find()) {
            String to = m.group(1) == null ? LAUNCH : m.group(1);
            if (!to.equals(from)) {
              found.add(new Reference(from, to, SOURCES.relativize(file) + ":" + (i + 1) + " " + line.strip()));
            }
          }
        }
      }
    }
    return found;
  }
}
