package dev.agentstream;

import java.util.function.UnaryOperator;

/** A scripted upstream and a runtime whose faults and retries are counted: what each fault test starts from. */
final class FaultRig implements AutoCloseable {

    final Upstream upstream = new Upstream();
    final FaultCounter faults = new FaultCounter();
    final AgentRuntime runtime;

    FaultRig() {
        this(UnaryOperator.identity());
    }

    /** A rig whose runtime is configured further by {@code customize}. */
    FaultRig(UnaryOperator<AgentRuntime.Builder> customize) {
        runtime = customize.apply(AgentRuntime.builder().observer(faults)).build();
    }

    @Override
    public void close() {
        runtime.close();
        upstream.close();
    }
}
