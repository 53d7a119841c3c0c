package dev.agentstream.server.http;

import io.javalin.config.JettyConfig;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.component.LifeCycle;

/**
 * Puts {@link HttpLimits}' connection bounds on Jetty: the header size on the HTTP configuration,
 * and the idle timeout and the {@link SlowRequests} watch on every connector, set as the server
 * starts, once Javalin has added its connector.
 */
public final class JettyLimits {

    private JettyLimits() {
    }

    public static void apply(JettyConfig jetty, HttpLimits limits) {
        jetty.modifyHttpConfiguration(http -> http.setRequestHeaderSize(limits.maxHeaderBytes()));
        jetty.modifyServer(server -> server.addEventListener(new LifeCycle.Listener() {
            @Override
            public void lifeCycleStarting(LifeCycle event) {
                bound(server, limits);
            }
        }));
    }

    private static void bound(Server server, HttpLimits limits) {
        for (Connector connector : server.getConnectors()) {
            if (connector instanceof AbstractConnector bounded) {
                bounded.setIdleTimeout(limits.idleTimeout().toMillis());
                SlowRequests slow = new SlowRequests(limits.readTimeout());
                bounded.addEventListener(slow);
                bounded.addManaged(slow);
            }
        }
    }
}
