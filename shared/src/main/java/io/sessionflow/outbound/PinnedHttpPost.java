package io.sessionflow.outbound;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * One HTTP/1.1 POST, sent to an address the {@link OutboundAddressPolicy} has just checked. The JDK's
 * HTTP client resolves the host itself, so a name could resolve to a public address for the check
 * and to an internal one for the connection (DNS rebinding); here the connection goes to the
 * checked address, while the {@code Host} header, TLS server name and certificate check use the
 * URL's host. Redirects are not followed: a 3xx is an answer like any other non-2xx. Shared by
 * webhooks (which need the status only) and HTTP tools (which read the answer's body).
 */
public final class PinnedHttpPost {

    /** The most of an answer's body that is read: a tool's result goes to a model, not a download. */
    public static final int MAX_BODY_BYTES = 64 * 1024;

    /** A status code and the body (at most {@link #MAX_BODY_BYTES}, decoded as UTF-8). */
    public record Answer(int status, String body) {
    }

    private final OutboundAddressPolicy policy;
    private final Duration timeout;

    public PinnedHttpPost(OutboundAddressPolicy policy, Duration timeout) {
        this.policy = policy;
        this.timeout = timeout;
    }

    /**
     * @return the response's status code
     * @throws io.sessionflow.outbound.RefusedTargetException when the host does not resolve or resolves to a refused address
     * @throws IOException                                   when no checked address could be reached or the answer is not HTTP
     */
    public int post(URI target, Map<String, String> headers, byte[] body) throws IOException {
        return send(target, headers, body, false).status();
    }

    /** {@link #post}, reading the answer's body too. */
    public Answer postForAnswer(URI target, Map<String, String> headers, byte[] body) throws IOException {
        return send(target, headers, body, true);
    }

    private Answer send(URI target, Map<String, String> headers, byte[] body, boolean readBody) throws IOException {
        URI url = URI.create(target.toASCIIString());
        boolean tls = "https".equalsIgnoreCase(url.getScheme());
        String host = url.getHost();
        int port = url.getPort() >= 0 ? url.getPort() : tls ? 443 : 80;
        List<InetAddress> addresses = policy.permittedAddresses(host);
        try (Socket socket = connect(addresses, port, host, tls)) {
            socket.setSoTimeout((int) timeout.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(head(url, host, port, tls, headers, body.length).getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            BufferedInputStream in = new BufferedInputStream(socket.getInputStream());
            int status = statusCode(in);
            return new Answer(status, readBody ? body(in) : "");
        }
    }

    private Socket connect(List<InetAddress> addresses, int port, String host, boolean tls) throws IOException {
        IOException last = null;
        for (InetAddress address : addresses) {
            Socket plain = new Socket();
            try {
                plain.connect(new InetSocketAddress(address, port), (int) timeout.toMillis());
                return tls ? secure(plain, host, port) : plain;
            } catch (IOException e) {
                plain.close();
                last = e;
            }
        }
        throw last != null ? last : new IOException("no address for " + host);
    }

    private SSLSocket secure(Socket plain, String host, int port) throws IOException {
        String name = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        SSLSocket socket = (SSLSocket) ((SSLSocketFactory) SSLSocketFactory.getDefault()).createSocket(plain, name, port, true);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        if (!name.contains(":") && !name.matches("[0-9.]+")) {
            parameters.setServerNames(List.of(new SNIHostName(name)));
        }
        socket.setSSLParameters(parameters);
        socket.startHandshake();
        return socket;
    }

    private static String head(URI url, String host, int port, boolean tls, Map<String, String> headers, int length) {
        String target = (url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath())
                + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
        StringBuilder head = new StringBuilder("POST ").append(target).append(" HTTP/1.1\r\n")
                .append("Host: ").append(host).append(port == (tls ? 443 : 80) ? "" : ":" + port).append("\r\n")
                .append("Content-Length: ").append(length).append("\r\n")
                .append("Connection: close\r\n")
                .append("User-Agent: sessionflow\r\n");
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        return head.append("\r\n").toString();
    }

    /** The headers, then the body: by Content-Length, chunked, or up to the end of the connection (Connection: close). */
    private static String body(InputStream in) throws IOException {
        long length = -1;
        boolean chunked = false;
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
            String lower = header.toLowerCase(java.util.Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                length = Long.parseLong(lower.substring(15).strip());
            } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (chunked) {
            for (long size = Long.parseLong(line(in).split(";")[0].strip(), 16); size > 0; size = Long.parseLong(line(in).split(";")[0].strip(), 16)) {
                copy(in, out, size);
                line(in);
            }
        } else {
            copy(in, out, length < 0 ? Long.MAX_VALUE : length);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static void copy(InputStream in, ByteArrayOutputStream out, long count) throws IOException {
        for (long i = 0; i < count; i++) {
            int b = in.read();
            if (b < 0) {
                return;
            }
            if (out.size() < MAX_BODY_BYTES) {
                out.write(b);
            }
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0 && b != '\n' && line.size() < 8192) {
            line.write(b);
        }
        return line.toString(StandardCharsets.ISO_8859_1).strip();
    }

    /** Reads the status line ({@code HTTP/1.1 204 No Content}); the rest of the answer is not needed. */
    private static int statusCode(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0 && b != '\n' && line.size() < 8192) {
            line.write(b);
        }
        String status = line.toString(StandardCharsets.ISO_8859_1).trim();
        String[] parts = status.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.") || !parts[1].matches("\\d{3}")) {
            throw new IOException("the answer is not HTTP/1.x: '" + (status.length() > 80 ? status.substring(0, 80) : status) + "'");
        }
        return Integer.parseInt(parts[1]);
    }
}
