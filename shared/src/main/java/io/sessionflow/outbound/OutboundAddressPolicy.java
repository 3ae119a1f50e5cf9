package io.sessionflow.outbound;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which addresses the services may call on a user's behalf (webhooks now; HTTP tools later). By
 * default nothing internal: loopback, private, shared and link-local ranges (cloud metadata lives
 * at 169.254.169.254), unique-local and site-local IPv6, multicast, unspecified and reserved
 * addresses, also when written as IPv4 inside IPv6. An operator allows hosts by name or networks
 * by CIDR explicitly. Checks are on resolved addresses, and callers connect to the addresses
 * checked, so a name that resolves differently the second time (DNS rebinding) gains nothing.
 */
public final class OutboundAddressPolicy {

    /** Refuses every internal address, allows nothing extra. */
    public static final OutboundAddressPolicy DEFAULT = new OutboundAddressPolicy(Set.of(), List.of());

    private static final List<Network> REFUSED = List.of(
            Network.of("0.0.0.0/8", "an unspecified ('this network') address"),
            Network.of("10.0.0.0/8", "a private address"),
            Network.of("100.64.0.0/10", "a shared (carrier-grade NAT) address"),
            Network.of("127.0.0.0/8", "a loopback address"),
            Network.of("169.254.0.0/16", "a link-local address"),
            Network.of("172.16.0.0/12", "a private address"),
            Network.of("192.0.0.0/24", "an IETF protocol address"),
            Network.of("192.168.0.0/16", "a private address"),
            Network.of("198.18.0.0/15", "a benchmarking address"),
            Network.of("224.0.0.0/4", "a multicast address"),
            Network.of("240.0.0.0/4", "a reserved or broadcast address"),
            Network.of("::/128", "the unspecified address"),
            Network.of("::1/128", "a loopback address"),
            Network.of("fc00::/7", "a unique-local address"),
            Network.of("fe80::/10", "a link-local address"),
            Network.of("fec0::/10", "a site-local address"),
            Network.of("ff00::/8", "a multicast address"));

    /**
     * IPv6 forms that carry an IPv4 address in their last 32 bits: IPv4-compatible and the NAT64
     * prefix. (IPv4-mapped addresses, {@code ::ffff:a.b.c.d}, are already IPv4 addresses in Java.)
     */
    private static final List<Network> EMBEDDING_IPV4 = List.of(Network.of("::/96", "IPv4-compatible"), Network.of("64:ff9b::/96", "NAT64"));

    private static final Pattern HOST_NAME = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*");

    private final Set<String> allowedHosts;
    private final List<Network> allowedNetworks;

    private OutboundAddressPolicy(Set<String> allowedHosts, List<Network> allowedNetworks) {
        this.allowedHosts = Set.copyOf(allowedHosts);
        this.allowedNetworks = List.copyOf(allowedNetworks);
    }

    /**
     * An allow-list of host names and CIDR networks (an address alone is a network of one), comma-separated.
     *
     * @throws IllegalArgumentException naming every entry that is neither
     */
    public static OutboundAddressPolicy allowing(String allowList) {
        if (allowList == null || allowList.isBlank()) {
            return DEFAULT;
        }
        Set<String> hosts = new java.util.LinkedHashSet<>();
        List<Network> networks = new ArrayList<>();
        List<String> bad = new ArrayList<>();
        for (String raw : allowList.split(",")) {
            String entry = raw.trim().toLowerCase(Locale.ROOT);
            if (entry.isEmpty()) {
                continue;
            }
            if (entry.contains("/") || Network.isAddressLiteral(entry)) {
                try {
                    networks.add(Network.of(entry.contains("/") ? entry : entry + "/" + Network.literal(entry).getAddress().length * 8, "allowed"));
                } catch (IllegalArgumentException e) {
                    bad.add(e.getMessage());
                }
            } else if (HOST_NAME.matcher(normalHost(entry)).matches()) {
                hosts.add(normalHost(entry));
            } else {
                bad.add("'" + entry + "' is neither a host name nor a CIDR network");
            }
        }
        if (!bad.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", bad));
        }
        return new OutboundAddressPolicy(hosts, networks);
    }

    /**
     * The addresses of this host that may be called, all of them checked. A host allowed by name
     * is trusted whatever it resolves to; otherwise every address it resolves to must be allowed,
     * so that a name cannot mix a public address with an internal one.
     *
     * @param host as in a URL (an IPv6 literal may keep its brackets)
     * @throws RefusedTargetException when the host does not resolve or an address is refused
     */
    public List<InetAddress> permittedAddresses(String host) {
        Objects.requireNonNull(host, "null host");
        String name = normalHost(host);
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(name);
        } catch (UnknownHostException e) {
            throw new RefusedTargetException("host '" + name + "' does not resolve");
        }
        if (!allowedHosts.contains(name)) {
            for (InetAddress address : addresses) {
                refusal(address).ifPresent(why -> {
                    throw new RefusedTargetException("host '" + name + "' is " + why + " (" + address.getHostAddress()
                            + "), which is not allowed by default");
                });
            }
        }
        return List.of(addresses);
    }

    /** Why this address may not be called, if it may not. */
    public Optional<String> refusal(InetAddress address) {
        InetAddress checked = embeddedIpv4(address);
        if (allowedNetworks.stream().anyMatch(n -> n.contains(checked) || n.contains(address))) {
            return Optional.empty();
        }
        for (Network network : REFUSED) {
            if (network.contains(checked)) {
                return Optional.of(checked == address ? network.label() : network.label() + " inside IPv6");
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return "OutboundAddressPolicy[allowed hosts=" + allowedHosts + ", allowed networks=" + allowedNetworks + "]";
    }

    private static InetAddress embeddedIpv4(InetAddress address) {
        if (address instanceof Inet6Address && EMBEDDING_IPV4.stream().anyMatch(n -> n.contains(address))
                && !address.isAnyLocalAddress() && !address.isLoopbackAddress()) {
            try {
                return InetAddress.getByAddress(Arrays.copyOfRange(address.getAddress(), 12, 16));
            } catch (UnknownHostException e) {
                throw new IllegalStateException("four bytes are always an IPv4 address", e);
            }
        }
        return address;
    }

    private static String normalHost(String host) {
        String name = host.toLowerCase(Locale.ROOT);
        if (name.startsWith("[") && name.endsWith("]")) {
            name = name.substring(1, name.length() - 1);
        }
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }

    /** A CIDR network; parsing an address literal never touches DNS. */
    private record Network(byte[] prefix, int bits, String label) {

        private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
        private static final Pattern IPV6 = Pattern.compile("[0-9a-f:.]*:[0-9a-f:.]*");

        static boolean isAddressLiteral(String text) {
            return IPV4.matcher(text).matches() || IPV6.matcher(text).matches();
        }

        static InetAddress literal(String text) {
            if (!isAddressLiteral(text)) {
                throw new IllegalArgumentException("'" + text + "' is not an IP address");
            }
            try {
                InetAddress address = InetAddress.getByName(text);
                if (address instanceof Inet4Address && IPV4.matcher(text).matches()
                        && Arrays.stream(text.split("\\.")).anyMatch(part -> Integer.parseInt(part) > 255)) {
                    throw new UnknownHostException(text);
                }
                return address;
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("'" + text + "' is not an IP address");
            }
        }

        static Network of(String cidr, String label) {
            int slash = cidr.indexOf('/');
            if (slash < 0) {
                throw new IllegalArgumentException("'" + cidr + "' is not a CIDR network (address/prefix length)");
            }
            InetAddress address;
            int bits;
            try {
                address = literal(cidr.substring(0, slash));
                bits = Integer.parseInt(cidr.substring(slash + 1));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + cidr + "' is not a CIDR network (address/prefix length)");
            }
            byte[] prefix = address.getAddress();
            if (bits < 0 || bits > prefix.length * 8) {
                throw new IllegalArgumentException("'" + cidr + "' has a prefix length outside 0-" + prefix.length * 8);
            }
            return new Network(prefix, bits, label);
        }

        boolean contains(InetAddress address) {
            byte[] bytes = address.getAddress();
            if (bytes.length != prefix.length) {
                return false;
            }
            for (int bit = 0; bit < bits; bit++) {
                int mask = 0x80 >>> (bit % 8);
                if ((bytes[bit / 8] & mask) != (prefix[bit / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public String toString() {
            try {
                return InetAddress.getByAddress(prefix).getHostAddress() + "/" + bits;
            } catch (UnknownHostException e) {
                return "?/" + bits;
            }
        }
    }
}
