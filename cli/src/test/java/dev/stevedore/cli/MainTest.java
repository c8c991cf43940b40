package dev.stevedore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;

class MainTest {
  /** The name table that start-up uses instead of the annotations says what the annotations say. */
  @Test
  void theSubcommandNameTableMatchesTheAnnotations() {
    Map<String, Class<?>> fromAnnotations = new HashMap<>();
    for (Class<?> type : Main.COMMANDS) {
      Command command = type.getAnnotation(Command.class);
      fromAnnotations.put(command.name(), type);
      for (String alias : command.aliases()) {
        fromAnnotations.put(alias, type);
      }
    }
    assertThat(Main.NAMES).containsExactlyInAnyOrderEntriesOf(fromAnnotations);
  }
}
