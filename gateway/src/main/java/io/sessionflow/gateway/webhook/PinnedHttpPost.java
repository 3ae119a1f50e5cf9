package io.sessionflow.gateway.webhook;

import io.sessionflow.outbound.OutboundAddressPolicy;
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
 * URL's host. Redirects are not followed: a 3xx is an answer like any other non-2xx.
 */
final class PinnedHttpPost {

    private final OutboundAddressPolicy policy;
    private final Duration timeout;

    PinnedHttpPost(OutboundAddressPolicy policy, Duration timeout) {
        this.policy = policy;
        this.timeout = timeout;
    }

    /**
     * @return the response's status code
     * @throws io.sessionflow.outbound.RefusedTargetException when the host does not resolve or resolves to a refused address
     * @throws IOException                                   when no checked address could be reached or the answer is not HTTP
     */
    int post(URI target, Map<String, String> headers, byte[] body) throws IOException {
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
            return statusCode(new BufferedInputStream(socket.getInputStream()));
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
                .append("User-Agent: sessionflow-webhooks\r\n");
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        return head.append("\r\n").toString();
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
