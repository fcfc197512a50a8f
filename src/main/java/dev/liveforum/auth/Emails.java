package dev.liveforum.auth;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One spelling per email address, used wherever an email is stored, looked up or keys a limit, so that
 * registration, sign-in and the sign-in limits all mean the same account by it: Unicode NFKC (a composed
 * "ö" and an "o" followed by a combining diaeresis, or a full-width "Ａ", are one spelling), surrounding
 * whitespace removed, lower case. Accents are kept: "böb@example.com" is not "bob@example.com", and since
 * the database's collation would take one for the other, lookups compare this spelling exactly.
 */
public final class Emails {
  private static final Pattern VALID = Pattern.compile("[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]+");
  public static final int MAX_LENGTH = 254;

  private Emails() {}

  public static String normalise(String email) {
    return Normalizer.normalize(email, Normalizer.Form.NFKC).strip().toLowerCase(Locale.ROOT);
  }

  /** Whether a normalised email has the form of an address an account may have. */
  public static boolean valid(String normalised) {
    return normalised.length() <= MAX_LENGTH && VALID.matcher(normalised).matches();
  }
}
