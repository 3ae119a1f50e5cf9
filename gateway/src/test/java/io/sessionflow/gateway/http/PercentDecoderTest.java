package io.sessionflow.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;

class PercentDecoderTest {

    @Test
    void shouldDecodePercentEncodedUtf8InAPath() {
        assertThat(PercentDecoder.path("caf%C3%A9%20au%2Flait")).isEqualTo("café au/lait");
    }

    @Test
    void shouldKeepAPlusAsAPlusInAPathButReadItAsASpaceInAQuery() {
        assertThat(PercentDecoder.path("a+b")).isEqualTo("a+b");
        assertThat(PercentDecoder.query("a+b")).isEqualTo("a b");
        assertThat(PercentDecoder.query("a%2Bb")).isEqualTo("a+b");
    }

    @Test
    void shouldDecodeOnceSoThatAnEncodedPercentStaysAPercent() {
        assertThat(PercentDecoder.path("%25zz")).isEqualTo("%zz");
    }

    @Test
    void shouldReadRawUtf8BytesArrivingOneCharPerByte() {
        String rawBytes = new String("é".getBytes(java.nio.charset.StandardCharsets.UTF_8), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(PercentDecoder.path(rawBytes)).isEqualTo("é");
    }

    @Test
    void shouldRefuseAPercentNotFollowedByTwoHexDigits() {
        for (String raw : new String[] {"%", "%4", "a%zz", "%4g"}) {
            assertUndecodable(raw, "'%' must be followed by two hex digits");
        }
    }

    @Test
    void shouldRefuseBytesThatAreNotUtf8() {
        assertUndecodable("%C3%28", "not UTF-8");
        assertUndecodable("%FF", "not UTF-8");
    }

    @Test
    void shouldRefuseACharBeyondOneByte() {
        assertUndecodable("\u20ac", "it is not UTF-8");
    }

    @Test
    void shouldRefuseAnEncodedNul() {
        assertUndecodable("a%00b", "NUL");
    }

    private static void assertUndecodable(String raw, String why) {
        ApiException error = catchThrowableOfType(ApiException.class, () -> PercentDecoder.path(raw));
        assertThat(error).as(raw).isNotNull();
        assertThat(error.status()).isEqualTo(400);
        assertThat(error.code()).isEqualTo("undecodable_uri");
        assertThat(error.getMessage()).startsWith("the path cannot be decoded: ").contains(why);
    }
}
