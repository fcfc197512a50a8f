package dev.liveforum.http.page;

import java.util.List;

/**
 * What the shared layout needs of a page: its title and description (also for Open Graph), its
 * canonical address, the paging links crawlers follow, where the bridge is, and the page's own script
 * modules (from {@code /assets/js}).
 *
 * @param canonical absolute URL of the page as it should be indexed
 * @param bridge    SockJS endpoints of the realtime bridge, tried in turn when a connection drops
 * @param query     the search box's text (empty when not searching)
 */
public record Layout(String title, String description, String canonical, String prev, String next,
                     List<String> bridge, List<String> modules, String query) {

  public String fullTitle() {
    return title.equals(Site.NAME) ? title : title + " · " + Site.NAME;
  }

  public String bridgeList() {
    return String.join(" ", bridge);
  }
}
