package dev.liveforum.http.page;

/** Facts every page shows. */
public final class Site {
  public static final String NAME = "LiveForum";

  private Site() {}
}
