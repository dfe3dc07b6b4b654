package io.edgegate.gateway.session;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Persistent sessions on disk: one JSON file per session under {@code <gateway.dataDir>/sessions},
 * named by a hash of the client id, replaced atomically (temp file, fsync, rename, fsync of the
 * directory). Writes run on one dedicated thread, never an event loop; changes to a session made
 * while a write is queued are coalesced into that write. Thread-safe.
 *
 * <p>What a SIGKILL can lose: changes whose write had not completed. Callers that promise something
 * to a device or to Kafka (PUBREC after a QoS 2 PUBLISH, a command counted as queued) wait for
 * {@link #save}'s future first; other changes (a PUBREL, a subscription) may be lost, and the
 * device repeats them.
 */
public final class SessionStore implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SessionStore.class);
  private static final String SUFFIX = ".json";

  private final Path dir;
  private final ExecutorService writer;
  // Guarded by this: what the next write pass takes.
  private final Map<String, Session> dirty = new LinkedHashMap<>();
  private final Set<String> deleted = new LinkedHashSet<>();
  private final List<CompletableFuture<Void>> waiting = new ArrayList<>();
  private boolean scheduled;
  private boolean closed;

  private SessionStore(Path dir) {
    this.dir = dir;
    this.writer =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "edgegate-sessions");
              t.setDaemon(true);
              return t;
            });
  }

  /** Opens (creates) the directory. Blocking: call off the event loop. */
  public static SessionStore open(Path dir) throws IOException {
    Files.createDirectories(dir);
    return new SessionStore(dir);
  }

  /**
   * Every session on disk, as stored; unreadable files are logged and moved aside, left-over temp
   * files removed. Blocking.
   */
  public List<JsonObject> load() throws IOException {
    List<JsonObject> out = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path f : files) {
        String name = f.getFileName().toString();
        if (name.endsWith(".tmp")) {
          Files.deleteIfExists(f);
        } else if (name.endsWith(SUFFIX)) {
          try {
            out.add(new JsonObject(Files.readString(f, StandardCharsets.UTF_8)));
          } catch (RuntimeException | IOException e) {
            log.warn("Session file {} is unreadable and set aside: {}", f, e.toString());
            Files.move(f, f.resolveSibling(name + ".damaged"), StandardCopyOption.REPLACE_EXISTING);
          }
        }
      }
    }
    return out;
  }

  /**
   * Writes the session's current state (coalesced with other changes). The future completes once a
   * state at least as new as the one at this call is durable. Any thread.
   */
  public CompletableFuture<Void> save(Session session) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    synchronized (this) {
      if (closed) {
        done.completeExceptionally(new IllegalStateException("session store closed"));
        return done;
      }
      deleted.remove(session.clientId());
      dirty.put(session.clientId(), session);
      waiting.add(done);
      scheduleLocked();
    }
    return done;
  }

  /** Removes the session's file (it ended). Any thread. */
  public void delete(String clientId) {
    synchronized (this) {
      if (closed) {
        return;
      }
      dirty.remove(clientId);
      deleted.add(clientId);
      scheduleLocked();
    }
  }

  private void scheduleLocked() {
    if (!scheduled) {
      scheduled = true;
      writer.execute(this::writePass);
    }
  }

  private void writePass() {
    List<Session> toWrite;
    List<String> toDelete;
    List<CompletableFuture<Void>> toComplete;
    synchronized (this) {
      scheduled = false;
      toWrite = new ArrayList<>(dirty.values());
      toDelete = new ArrayList<>(deleted);
      toComplete = new ArrayList<>(waiting);
      dirty.clear();
      deleted.clear();
      waiting.clear();
    }
    IOException failure = null;
    for (Session s : toWrite) {
      try {
        write(s.clientId(), SessionJson.write(s).toBuffer().getBytes());
      } catch (IOException e) {
        failure = e;
        log.error("Session of '{}' not saved: {}", s.clientId(), e.toString());
      }
    }
    for (String clientId : toDelete) {
      try {
        Files.deleteIfExists(file(clientId));
      } catch (IOException e) {
        log.warn("Session file of '{}' not removed: {}", clientId, e.toString());
      }
    }
    try {
      if (!toWrite.isEmpty() || !toDelete.isEmpty()) {
        syncDirectory();
      }
    } catch (IOException e) {
      failure = e;
    }
    for (CompletableFuture<Void> f : toComplete) {
      if (failure == null) {
        f.complete(null);
      } else {
        f.completeExceptionally(failure);
      }
    }
  }

  private void write(String clientId, byte[] bytes) throws IOException {
    Path target = file(clientId);
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    try (FileChannel ch =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      ByteBuffer b = ByteBuffer.wrap(bytes);
      while (b.hasRemaining()) {
        ch.write(b);
      }
      ch.force(true);
    }
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private void syncDirectory() throws IOException {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true); // the renames themselves must survive a power cut
    } catch (UnsupportedOperationException | IOException e) {
      // Some file systems do not sync directories; the rename is still atomic.
    }
  }

  private Path file(String clientId) {
    try {
      byte[] h =
          MessageDigest.getInstance("SHA-256").digest(clientId.getBytes(StandardCharsets.UTF_8));
      // Client ids may hold characters a file name must not, and be longer than one may be.
      return dir.resolve(HexFormat.of().formatHex(h, 0, 20) + SUFFIX);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Writes what is pending and stops the writer. Blocking; idempotent. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      scheduleLocked(); // a last pass for whatever is pending
    }
    writer.shutdown();
    try {
      if (!writer.awaitTermination(30, TimeUnit.SECONDS)) {
        log.warn("Sessions still being written after 30s; the last changes may be lost");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
