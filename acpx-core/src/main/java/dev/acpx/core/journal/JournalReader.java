package dev.acpx.core.journal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Reads a record's journal segments oldest to newest, incrementally: each segment file (known by
 * its file key, so a rotation's renames neither skip nor repeat one) is read from where the last
 * read stopped. Not thread-safe; one reader per watcher.
 */
public final class JournalReader {
    private static final int CHUNK = 64 * 1024;

    private final JournalFiles files;
    private final int maxSegments;
    private final ObjectMapper mapper;
    private final Map<Object, SegmentState> states = new HashMap<>();

    /** One consistent read: events after the asked sequence and the journal's tail state. */
    public record Snapshot(List<JournalEvent> events, boolean hasMore, Long firstSequence, long sequence,
                           long messageSequence, String requestId, long activeSize, boolean activeAnchored,
                           boolean activePartial) {}

    private record Open(Path path, FileChannel channel, Object key, long size) {}

    public JournalReader(JournalFiles files, int maxSegments, ObjectMapper mapper) {
        this.files = files;
        this.maxSegments = maxSegments;
        this.mapper = mapper;
    }

    /** Events with a sequence above {@code after} (-1: all), up to about {@code maxBytes} of lines. */
    public Snapshot read(long after, long maxBytes) {
        List<Open> segments = openSnapshot();
        List<JournalEvent> events = new ArrayList<>();
        SegmentState.Page page = new SegmentState.Page(events, after, maxBytes);
        boolean hasMore = false;
        Long first = null;
        SegmentState tail = new SegmentState();
        SegmentState active = new SegmentState();
        try {
            for (Open o : segments) {
                SegmentState state = states.computeIfAbsent(o.key(), k -> new SegmentState());
                readSegment(o, state, page);
                if (state.anchored()) {
                    if (first == null) {
                        first = state.firstSequence;
                    } else if (state.firstSequence != tail.sequence) {
                        throw JournalErrors.corrupt("Session journal segments are not contiguous");
                    }
                    tail = state;
                }
                if (o.path().equals(files.active())) {
                    active = state;
                }
                if (page.full()) {
                    hasMore = true;
                    break;
                }
            }
            Set<Object> present = new HashSet<>();
            segments.forEach(o -> present.add(o.key()));
            states.keySet().retainAll(present);
            return new Snapshot(events, hasMore, first, tail.sequence, tail.messageSequence, tail.requestId,
                    active.offset, active.anchored(), active.pending.length > 0);
        } finally {
            close(segments);
        }
    }

    /** All ACP messages of the retained segments, markers and unreadable lines dropped (the export's history). */
    public List<ObjectNode> acpMessages() {
        List<ObjectNode> out = new ArrayList<>();
        for (Path p : paths()) {
            List<String> lines;
            try {
                lines = Files.readAllLines(p);
            } catch (NoSuchFileException e) {
                continue;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            for (String line : lines) {
                try {
                    if (mapper.readTree(line) instanceof ObjectNode o && JournalLine.isAcpMessage(o)) {
                        out.add(o);
                    }
                } catch (IOException e) {
                    // a torn or foreign line: the export keeps only ACP messages
                }
            }
        }
        return out;
    }

    List<Path> paths() {
        List<Path> paths = new ArrayList<>();
        for (int k = maxSegments; k > 0; k--) {
            paths.add(files.segment(k));
        }
        paths.add(files.active());
        return paths;
    }

    private void readSegment(Open o, SegmentState state, SegmentState.Page page) {
        if (o.size() < state.offset) {
            throw JournalErrors.corrupt("Session journal was truncated while watching");
        }
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(CHUNK, Math.max(1, o.size() - state.offset)));
        try {
            while (true) {
                state.consume(mapper, files.recordId(), page);
                if (page.full() || state.offset >= o.size()) {
                    return;
                }
                buf.clear();
                buf.limit((int) Math.min(buf.capacity(), o.size() - state.offset));
                int n = o.channel().read(buf, state.offset);
                if (n <= 0) {
                    throw JournalErrors.corrupt("Session journal changed while reading");
                }
                state.append(buf.array(), n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Opens every present segment, then checks no path changed meanwhile (a rotation): else again. */
    private List<Open> openSnapshot() {
        for (int attempt = 0; ; attempt++) {
            List<Open> opened = new ArrayList<>();
            boolean stable = true;
            try {
                Map<Path, Object> keys = new HashMap<>();
                for (Path p : paths()) {
                    try {
                        FileChannel ch = FileChannel.open(p, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
                        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                        Object key = a.fileKey() == null ? p : a.fileKey();
                        opened.add(new Open(p, ch, key, ch.size()));
                        keys.put(p, key);
                    } catch (NoSuchFileException e) {
                        keys.put(p, null);
                    }
                }
                for (Path p : paths()) {
                    if (!Objects.equals(keyOf(p), keys.get(p))) {
                        stable = false;
                        break;
                    }
                }
            } catch (IOException e) {
                close(opened);
                throw new UncheckedIOException(e);
            }
            if (stable) {
                return opened;
            }
            close(opened);
            if (attempt > 1000) {
                throw JournalErrors.corrupt("Session journal kept changing while reading");
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UncheckedIOException(new IOException("interrupted"));
            }
        }
    }

    private static Object keyOf(Path p) throws IOException {
        try {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return a.fileKey() == null ? p : a.fileKey();
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private static void close(List<Open> opened) {
        for (Open o : opened) {
            try {
                o.channel().close();
            } catch (IOException e) {
                // read-only handle: nothing to lose
            }
        }
    }
}
