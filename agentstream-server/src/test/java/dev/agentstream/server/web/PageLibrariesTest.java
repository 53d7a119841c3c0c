package dev.agentstream.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The page imports its libraries from {@code /webjars/<name>/<version>/…}; a version bumped in the
 * POM but not in the page would leave the page blank. This says so plainly, without a browser.
 */
class PageLibrariesTest {

    private static final Pattern WEBJAR_IMPORT = Pattern.compile("from '\\./(webjars/[^']+)'");

    @Test
    void everyLibraryThePageImportsIsInAWebJarOnTheClasspath() throws IOException {
        String source = resource("web/markdown.js");
        Matcher matcher = WEBJAR_IMPORT.matcher(source);
        List<String> imports = matcher.results().map(m -> m.group(1)).toList();

        assertThat(imports).as("webjar imports in web/markdown.js").hasSize(2);
        for (String path : imports) {
            assertThat(getClass().getClassLoader().getResource("META-INF/resources/" + path))
                .as("%s, imported by web/markdown.js (expected: the version the POM's WebJar has)", path)
                .isNotNull();
        }
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = PageLibrariesTest.class.getClassLoader().getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
