package dev.liveforum.support;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/** At the end of a test JVM's run, removes what it left on shared servers. */
public class TestRunCleanup implements LauncherSessionListener {
  @Override
  public void launcherSessionClosed(LauncherSession session) {
    TestServices.cleanUp();
  }
}
