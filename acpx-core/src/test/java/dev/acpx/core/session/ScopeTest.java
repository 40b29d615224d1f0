package dev.acpx.core.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.acpx.core.lifecycle.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScopeTest {

    private static final String AGENT = "node /opt/agent.mjs";

    @TempDir
    Path tmp;

    private SessionStore store() {
        return new SessionStore(tmp.resolve("home/.acpx"), new ObjectMapper(), Clock.systemUTC());
    }

    private SessionRecord saved(SessionStore store, Path cwd, String name) {
        SessionRecord r = SessionRecord.create(java.util.UUID.randomUUID().toString(),
                new SessionScope(AGENT, cwd, name), SessionRecord.MODE_PERSISTENT, store.clock().instant());
        store.save(r);
        return r;
    }

    @Test
    void promptLookupWalksUpToTheGitRootAndPrefersTheNearest() throws Exception {
        SessionStore store = store();
        Path repo = Files.createDirectories(tmp.resolve("repo"));
        Files.createDirectory(repo.resolve(".git"));
        Path deep = Files.createDirectories(repo.resolve("a/b"));
        Path outside = tmp;

        assertTrue(store.findForPrompt(AGENT, deep, null).isEmpty());
        saved(store, outside, null); // above the git root: never visible from inside
        assertTrue(store.findForPrompt(AGENT, deep, null).isEmpty());
        SessionRecord atRoot = saved(store, repo, null);
        assertEquals(atRoot.acpxRecordId(), store.findForPrompt(AGENT, deep, null).orElseThrow().acpxRecordId());
        SessionRecord atA = saved(store, repo.resolve("a"), null);
        assertEquals(atA.acpxRecordId(), store.findForPrompt(AGENT, deep, null).orElseThrow().acpxRecordId());
        assertEquals(atRoot.acpxRecordId(), store.findForPrompt(AGENT, repo, null).orElseThrow().acpxRecordId());
        // Names and agents are separate scopes; closed records are skipped.
        assertTrue(store.findForPrompt(AGENT, deep, "other").isEmpty());
        assertTrue(store.findForPrompt("codex", deep, null).isEmpty());
        SessionRecord named = saved(store, repo, " other ");
        assertEquals(named.acpxRecordId(), store.findForPrompt(AGENT, deep, "other").orElseThrow().acpxRecordId());
        store.close(atA, "sessions close");
        assertEquals(atRoot.acpxRecordId(), store.findForPrompt(AGENT, deep, null).orElseThrow().acpxRecordId());
    }

    @Test
    void withoutAGitRootOnlyTheExactCwdCounts() throws Exception {
        SessionStore store = store();
        Path dir = Files.createDirectories(tmp.resolve("plain/sub"));
        saved(store, tmp.resolve("plain"), null);
        assertTrue(store.findForPrompt(AGENT, dir, null).isEmpty());
        // A .git FILE (worktree, submodule) marks a root as well.
        Files.writeString(tmp.resolve("plain/.git"), "gitdir: /elsewhere\n");
        assertTrue(store.findForPrompt(AGENT, dir, null).isPresent());
    }

    @Test
    void ensureIsIdempotentAndCreateFreshReplaces() throws Exception {
        SessionStore store = store();
        Path cwd = Files.createDirectories(tmp.resolve("w"));
        SessionRecord first = store.ensure(AGENT, cwd, null);
        assertEquals(first.acpxRecordId(), store.ensure(AGENT, cwd, null).acpxRecordId());
        SessionRecord fresh = store.createFresh(AGENT, cwd, null);
        SessionRecord old = store.load(first.acpxRecordId()).orElseThrow();
        assertTrue(old.closed());
        assertEquals("replaced by sessions new", old.closedReason());
        assertFalse(fresh.closed());
        assertEquals(fresh.acpxRecordId(), store.ensure(AGENT, cwd, null).acpxRecordId());
        assertEquals(2, store.list().records().size());
    }

    @Test
    void twentyThreadsEnsureOneRecord() throws Exception {
        Path cwd = Files.createDirectories(tmp.resolve("race"));
        int n = 20;
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<String>> ids = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                SessionStore own = store(); // a store (and lock channel use) per caller
                ids.add(pool.submit(() -> {
                    go.await();
                    return own.ensure(AGENT, cwd, null).acpxRecordId();
                }));
            }
            go.countDown();
            Set<String> distinct = new HashSet<>();
            for (Future<String> f : ids) {
                distinct.add(f.get());
            }
            assertEquals(1, distinct.size());
            assertEquals(1, store().list().records().size());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void separateProcessesEnsureOneRecord() throws Exception {
        Path cwd = Files.createDirectories(tmp.resolve("procs"));
        Path home = tmp.resolve("home/.acpx");
        long startAt = System.currentTimeMillis() + 4000; // let all JVMs boot, then race
        List<ChildJvm> children = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                children.add(ChildJvm.start(EnsureMain.class, home.toString(), AGENT, cwd.toString(), Long.toString(startAt)));
            }
            Set<String> ids = new HashSet<>();
            for (ChildJvm c : children) {
                ids.add(c.readLine(120));
            }
            ids.add(store().ensure(AGENT, cwd, null).acpxRecordId());
            assertEquals(1, ids.size(), ids.toString());
            assertEquals(1, store().list().records().size());
        } finally {
            for (ChildJvm c : children) {
                c.close();
            }
        }
    }
}
