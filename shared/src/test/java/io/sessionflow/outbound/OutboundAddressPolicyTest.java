package io.sessionflow.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OutboundAddressPolicyTest {

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.1.2.3", "10.0.0.1", "172.16.0.1", "172.31.255.255", "192.168.1.1", "169.254.169.254",
            "0.0.0.0", "100.64.0.1", "224.0.0.1", "255.255.255.255", "[::1]", "::1", "::", "fc00::1", "fd12:3456::1", "fe80::1",
            "ff02::1", "::ffff:127.0.0.1", "[::ffff:10.0.0.1]", "::127.0.0.1", "64:ff9b::a9fe:a9fe", "2130706433"})
    void shouldRefuseInternalAddressesByDefault(String host) {
        assertThatThrownBy(() -> OutboundAddressPolicy.DEFAULT.permittedAddresses(host))
                .isInstanceOf(RefusedTargetException.class)
                .hasMessageContaining("not allowed by default");
    }

    @ParameterizedTest
    @ValueSource(strings = {"93.184.216.34", "8.8.8.8", "172.32.0.1", "2606:4700::1111", "[2001:4860:4860::8888]"})
    void shouldAllowPublicAddresses(String host) {
        assertThat(OutboundAddressPolicy.DEFAULT.permittedAddresses(host)).hasSize(1);
    }

    @Test
    void shouldRefuseAHostThatDoesNotResolve() {
        assertThatThrownBy(() -> OutboundAddressPolicy.DEFAULT.permittedAddresses("no-such-host.invalid"))
                .isInstanceOf(RefusedTargetException.class)
                .hasMessageContaining("does not resolve");
    }

    @Test
    void shouldRefuseANameThatResolvesToLoopback() {
        assertThatThrownBy(() -> OutboundAddressPolicy.DEFAULT.permittedAddresses("localhost"))
                .isInstanceOf(RefusedTargetException.class)
                .hasMessageContaining("loopback");
    }

    @Test
    void shouldAllowHostsAndNetworksTheOperatorNames() throws Exception {
        OutboundAddressPolicy policy = OutboundAddressPolicy.allowing(" localhost, 10.1.0.0/16 ,fd00::/8, 192.168.7.7");

        assertThat(policy.permittedAddresses("localhost")).isNotEmpty();
        assertThat(policy.permittedAddresses("LOCALHOST.")).isNotEmpty();
        assertThat(policy.permittedAddresses("10.1.200.3")).hasSize(1);
        assertThat(policy.permittedAddresses("[fd00::5]")).hasSize(1);
        assertThat(policy.permittedAddresses("192.168.7.7")).hasSize(1);
        assertThat(policy.refusal(InetAddress.getByName("::ffff:10.1.0.9"))).isEmpty();
        // Allowing the name localhost does not allow the loopback network.
        assertThatThrownBy(() -> policy.permittedAddresses("127.0.0.1")).isInstanceOf(RefusedTargetException.class);
        assertThatThrownBy(() -> policy.permittedAddresses("10.2.0.1")).isInstanceOf(RefusedTargetException.class);
        assertThatThrownBy(() -> policy.permittedAddresses("192.168.7.8")).isInstanceOf(RefusedTargetException.class);
    }

    @Test
    void shouldReportEveryBadAllowListEntry() {
        assertThatThrownBy(() -> OutboundAddressPolicy.allowing("ok.example.com, 10.0.0.0/33, 10.0.0/8, fd00::/129, bad host!, 300.1.1.1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'10.0.0.0/33'")
                .hasMessageContaining("'10.0.0/8'")
                .hasMessageContaining("'fd00::/129'")
                .hasMessageContaining("'bad host!'")
                .hasMessageContaining("300.1.1.1")
                .hasMessageNotContaining("ok.example.com");
    }

    @Test
    void shouldTreatAnEmptyAllowListAsTheDefault() {
        assertThat(OutboundAddressPolicy.allowing("")).isSameAs(OutboundAddressPolicy.DEFAULT);
        assertThat(OutboundAddressPolicy.allowing(null)).isSameAs(OutboundAddressPolicy.DEFAULT);
    }
}
