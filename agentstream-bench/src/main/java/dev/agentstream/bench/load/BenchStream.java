package dev.agentstream.bench.load;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One stream of a load run, on its own virtual thread over a raw socket: sends the request at its
 * start time, reads the SSE response until it ends or the deadline passes, and records the time to
 * first body byte and, per token, its emit and receive times. Every wait is bounded by the deadline.
 * A stream whose reader sits on another node than its run first starts the run in the background on
 * the owner, then follows its events on the reader's node; its time to first byte counts from the
 * start request.
 */
final class BenchStream implements SseParser.FrameSink {

    private static final Pattern RUN_ID = Pattern.compile("\"run_id\"\\s*:\\s*\"([^\"]+)\"");

    final long id;
    private final TargetKind kind;
    private final InetSocketAddress address;
    private final InetSocketAddress readerAddress;
    private final byte[] request;
    final long[] emitMicros;
    final long[] receiveMicros;

    private volatile Socket socket;
    private volatile String runId;
    private volatile boolean stopped;
    private volatile boolean finished;
    long sentNanos;
    long firstByteNanos;
    long stopSentNanos;
    long stopSentMicros;
    volatile long cancelledFrameNanos;
    private long readNanos;
    private long readMicros;
    private int nextIndex;
    private boolean orderBroken;
    private int duplicates;
    private int foreign;
    private int received;
    private TargetKind.End end = TargetKind.End.NONE;
    private String failure;

    /** A stream whose run starts on {@code owner} and is read on {@code reader} (the same node, or another). */
    BenchStream(long id, TargetKind kind, InetSocketAddress owner, InetSocketAddress reader, int tokens) {
        this.id = id;
        this.kind = kind;
        this.address = owner;
        this.readerAddress = reader;
        this.request = owner.equals(reader) ? kind.request(hostPort(owner), id, tokens)
            : kind.backgroundRequest(hostPort(owner), id, tokens);
        this.emitMicros = new long[tokens];
        this.receiveMicros = new long[tokens];
    }

    /** Runs the stream: waits for {@code startNanos}, then reads until the end or {@code deadlineNanos}. */
    void run(long startNanos, long deadlineNanos) {
        try {
            Sleep.until(startNanos);
            byte[] readRequest = request;
            if (!address.equals(readerAddress)) {
                sentNanos = System.nanoTime();
                runId = startInBackground(deadlineNanos);
                readRequest = kind.followRequest(hostPort(readerAddress), runId);
            }
            try (Socket s = new Socket()) {
                socket = s;
                s.connect(readerAddress, 5_000);
                s.setTcpNoDelay(true);
                s.getOutputStream().write(readRequest);
                if (sentNanos == 0) {
                    sentNanos = System.nanoTime();
                }
                read(s.getInputStream(), s, deadlineNanos);
            }
        } catch (SocketTimeoutException e) {
            failure = "timed out";
        } catch (IOException e) {
            if (!stopped) {
                failure = e.toString();
            }
        } catch (InterruptedException e) {
            failure = "interrupted";
        } catch (RuntimeException e) {
            failure = e.toString();
        } finally {
            finished = true;
        }
    }

    /** Sends the background start to the owner node and returns the run id from its answer. */
    private String startInBackground(long deadlineNanos) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(address, 5_000);
            s.setTcpNoDelay(true);
            s.setSoTimeout((int) Math.max(1, (deadlineNanos - System.nanoTime()) / 1_000_000));
            s.getOutputStream().write(request);
            String answer = new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            Matcher m = RUN_ID.matcher(answer);
            if (!answer.startsWith("HTTP/1.1 202") || !m.find()) {
                throw new IOException("background start refused: " + answer.lines().findFirst().orElse("(no answer)"));
            }
            return m.group(1);
        }
    }

    private static String hostPort(InetSocketAddress address) {
        return address.getHostString() + ":" + address.getPort();
    }

    private void read(InputStream in, Socket s, long deadlineNanos) throws IOException {
        SseParser parser = new SseParser(this);
        HttpResponseDecoder decoder = new HttpResponseDecoder((bytes, offset, length) -> {
            if (firstByteNanos == 0 && length > 0) {
                firstByteNanos = readNanos;
            }
            parser.body(bytes, offset, length);
        });
        byte[] buffer = new byte[8192];
        while (!decoder.done() && end == TargetKind.End.NONE) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                failure = "timed out";
                return;
            }
            s.setSoTimeout((int) Math.max(1, left / 1_000_000));
            int n = in.read(buffer);
            if (n < 0) {
                if (kind.endsWithBody() && decoder.headEnded() && end == TargetKind.End.NONE) {
                    end = TargetKind.End.COMPLETED;
                } else if (end == TargetKind.End.NONE && !stopped) {
                    failure = "connection closed before the stream's end";
                }
                return;
            }
            readNanos = System.nanoTime();
            readMicros = Micros.now();
            decoder.feed(buffer, 0, n);
            if (decoder.headEnded() && decoder.status() != 200) {
                failure = "HTTP " + decoder.status();
                return;
            }
        }
        if (decoder.done() && kind.endsWithBody() && end == TargetKind.End.NONE) {
            end = TargetKind.End.COMPLETED;
        }
    }

    @Override
    public void frame(String event, String data) {
        if (kind.carriesTokens(event)) {
            TokenMarker.scan(data, this::token);
        }
        if ("RunStarted".equals(event)) {
            Matcher m = RUN_ID.matcher(data);
            if (m.find()) {
                runId = m.group(1);
            }
        }
        TargetKind.End frameEnd = kind.end(event, data);
        if (frameEnd == TargetKind.End.CANCELLED) {
            cancelledFrameNanos = readNanos;
        }
        if (frameEnd != TargetKind.End.NONE) {
            end = frameEnd;
        }
    }

    private void token(long streamId, int index, long emitted) {
        if (streamId != id) {
            foreign++;
            return;
        }
        if (index != nextIndex) {
            orderBroken = true;
        }
        nextIndex = index + 1;
        if (index < 0 || index >= receiveMicros.length) {
            orderBroken = true;
        } else if (receiveMicros[index] != 0) {
            duplicates++;
        } else {
            emitMicros[index] = emitted;
            receiveMicros[index] = readMicros;
            received++;
        }
    }

    /** Stops by closing the connection (targets without a cancel route). */
    void disconnect() {
        markStopSent();
        Socket s = socket;
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                // already closed
            }
        }
    }

    /** Records the moment a cancel request is sent; the stream itself goes on until its end frame. */
    void markStopSent() {
        stopped = true;
        stopSentMicros = Micros.now();
        stopSentNanos = System.nanoTime();
    }

    /** Closes the socket of a stream still open past the run's deadline. */
    void abort() {
        if (!finished) {
            if (failure == null) {
                failure = "timed out";
            }
            Socket s = socket;
            if (s != null) {
                try {
                    s.close();
                } catch (IOException e) {
                    // already closed
                }
            }
        }
    }

    String runId() {
        return runId;
    }

    boolean stopped() {
        return stopped;
    }

    boolean finished() {
        return finished;
    }

    int received() {
        return received;
    }

    String failure() {
        return failure;
    }

    TargetKind.End end() {
        return end;
    }

    /** Every token, in order, exactly once, none of another stream's, and the stream's normal end. */
    boolean complete() {
        return failure == null && end == TargetKind.End.COMPLETED && received == receiveMicros.length
            && !orderBroken && duplicates == 0 && foreign == 0;
    }

    /** A short reason a stream is not complete, for the log. */
    String problem() {
        if (failure != null) {
            return failure;
        }
        if (end != TargetKind.End.COMPLETED) {
            return "ended " + end;
        }
        return "tokens " + received + "/" + receiveMicros.length + (orderBroken ? ", out of order" : "")
            + (duplicates > 0 ? ", " + duplicates + " duplicates" : "") + (foreign > 0 ? ", " + foreign + " foreign" : "");
    }
}
