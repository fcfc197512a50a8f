package dev.liveforum.config;

import io.vertx.core.MultiMap;
import io.vertx.core.net.SocketAddress;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Who the client is when proxies stand in front ({@code http.trustedProxies}). Forwarding headers are
 * believed only from a trusted peer, and then only as far as they were written by trusted proxies: the
 * client is the rightmost hop that is not one of them. {@code X-Forwarded-For} is read when present, else
 * {@code Forwarded}; a proxy that writes only {@code Forwarded} must drop a client's {@code X-Forwarded-For}.
 */
public final class TrustedProxies {
  private static final Pattern LITERAL = Pattern.compile("[0-9A-Fa-f:.]+");
  private static final Pattern FORWARDED_FOR = Pattern.compile("(?i)(?:^|;)\\s*for=\"?([^\";]*)\"?");

  private record Block(byte[] network, int bits) {
    boolean contains(byte[] address) {
      if (address.length != network.length) {
        return false;
      }
      for (int i = 0; i < bits; i++) {
        int mask = 0x80 >> (i % 8);
        if ((address[i / 8] & mask) != (network[i / 8] & mask)) {
          return false;
        }
      }
      return true;
    }
  }

  private final List<Block> blocks;

  private TrustedProxies(List<Block> blocks) {
    this.blocks = blocks;
  }

  /** Addresses ({@code 10.0.0.7}, {@code ::1}) and CIDR blocks ({@code 10.0.0.0/8}); throws on anything else. */
  public static TrustedProxies of(List<String> entries) {
    List<Block> blocks = new ArrayList<>();
    for (String entry : entries) {
      String[] parts = entry.strip().split("/", 2);
      byte[] address = parse(parts[0]);
      if (address == null) {
        throw new IllegalArgumentException("not an IP address or CIDR block: " + entry);
      }
      int bits = address.length * 8;
      if (parts.length == 2) {
        try {
          bits = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
          bits = -1;
        }
        if (bits < 0 || bits > address.length * 8) {
          throw new IllegalArgumentException("not a prefix length for " + parts[0] + ": " + entry);
        }
      }
      blocks.add(new Block(address, bits));
    }
    return new TrustedProxies(List.copyOf(blocks));
  }

  /** The client's address: the peer's, unless the peer is a trusted proxy that says who it forwards for. */
  public String clientIp(SocketAddress peer, MultiMap headers) {
    String client = peer == null || peer.host() == null ? "unknown" : peer.host();
    if (blocks.isEmpty() || !trusted(client)) {
      return client;
    }
    List<String> hops = headers.contains("X-Forwarded-For") ? forwardedFor(headers) : forwarded(headers);
    for (int i = hops.size() - 1; i >= 0; i--) {
      String hop = hops.get(i);
      if (parse(hop) == null) {
        return client; // not an address a proxy wrote: the last trusted hop is all that is known
      }
      client = hop;
      if (!trusted(hop)) {
        return hop;
      }
    }
    return client;
  }

  /** Whether the peer is one of the trusted proxies (so it speaks for many clients). */
  public boolean trusts(SocketAddress peer) {
    return peer != null && peer.host() != null && trusted(peer.host());
  }

  private boolean trusted(String ip) {
    byte[] address = parse(ip);
    return address != null && blocks.stream().anyMatch(b -> b.contains(address));
  }

  private static List<String> forwardedFor(MultiMap headers) {
    List<String> hops = new ArrayList<>();
    for (String header : headers.getAll("X-Forwarded-For")) {
      for (String hop : header.split(",")) {
        hops.add(hop.strip());
      }
    }
    return hops;
  }

  /** RFC 7239: {@code for=192.0.2.60;proto=https, for="[2001:db8::1]:4711"}. */
  private static List<String> forwarded(MultiMap headers) {
    List<String> hops = new ArrayList<>();
    for (String header : headers.getAll("Forwarded")) {
      for (String element : header.split(",")) {
        Matcher m = FORWARDED_FOR.matcher(element.strip());
        hops.add(m.find() ? withoutPort(m.group(1).strip()) : "");
      }
    }
    return hops;
  }

  private static String withoutPort(String node) {
    if (node.startsWith("[")) {
      int end = node.indexOf(']');
      return end > 0 ? node.substring(1, end) : node;
    }
    int colon = node.indexOf(':');
    return colon > 0 && node.indexOf(':', colon + 1) < 0 ? node.substring(0, colon) : node;
  }

  /** An IP literal's bytes (never a name lookup); null for anything else. */
  private static byte[] parse(String ip) {
    if (ip == null || ip.isEmpty() || !LITERAL.matcher(ip).matches() || !(ip.contains(".") || ip.contains(":"))) {
      return null;
    }
    try {
      return InetAddress.getByName(ip).getAddress();
    } catch (UnknownHostException e) {
      return null;
    }
  }
}
