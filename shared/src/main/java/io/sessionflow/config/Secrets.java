package io.sessionflow.config;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Masks secrets in configuration before it is logged. Every settings record's {@code toString} goes
 * through here, so that a URL or a client property carrying a credential never reaches a log verbatim.
 * It errs on the side of masking: a setting whose name merely looks secret is masked too.
 */
public final class Secrets {

    public static final String MASK = "****";

    /** Names of URL query parameters and client properties that hold, or may hold, a credential. */
    private static final Pattern SECRET_NAME = Pattern.compile(
            "(?i).*(password|passwd|pwd|passphrase|secret|token|credential|jaas\\.config|api[._-]?key|access[._-]?key|private[._-]?key"
                    + "|(^|[._-])key$|sslkey).*");
    /** {@code scheme://user:password@host}: the password part of the user info. */
    private static final Pattern USER_INFO_PASSWORD = Pattern.compile("(//[^/@:?#]*):[^/@?#]*@");
    /** {@code ?name=value}, {@code &name=value} or {@code ;name=value} (JDBC drivers accept all three). */
    private static final Pattern PARAMETER = Pattern.compile("([?&;])([^=&;#]+)=([^&;#]*)");

    private Secrets() {
    }

    /** {@code ****} for a secret that is set, {@code <none>} for one that is not. */
    public static String mask(String secret) {
        return secret == null ? "<none>" : MASK;
    }

    /** The URL with the password of its user info and the values of its secret-looking parameters masked. */
    public static String url(String url) {
        if (url == null) {
            return null;
        }
        String masked = USER_INFO_PASSWORD.matcher(url).replaceAll("$1:" + MASK + "@");
        return PARAMETER.matcher(masked).replaceAll(match -> java.util.regex.Matcher.quoteReplacement(
                match.group(1) + match.group(2) + "=" + (isSecretName(match.group(2)) ? MASK : match.group(3))));
    }

    /** Client properties, sorted, with secret-looking values masked and credentials in URL values masked. */
    public static Map<String, String> properties(Map<String, String> properties) {
        Map<String, String> masked = new TreeMap<>();
        properties.forEach((name, value) -> masked.put(name, isSecretName(name) ? MASK : url(value)));
        return masked;
    }

    static boolean isSecretName(String name) {
        return SECRET_NAME.matcher(name).matches();
    }
}
