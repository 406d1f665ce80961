#if canImport(Glibc)
import Glibc
#endif

/// Says cheaply whether anything in a site's folders may have changed: a counter that moves on
/// every change, so caches of compiled pages and modules need not `stat` their files per request.
///
/// On Linux it uses inotify on the watched trees. `generation()` drains pending events with one
/// non-blocking `read` under a lock: the kernel queues an event while the writing process is still
/// inside `write`/`rename`, so a request that starts after an edit finished always sees the edit
/// (a background reader thread could lag behind). New subfolders are watched as they appear.
/// Where inotify is unavailable or runs out of watches, `generation()` returns nil and callers
/// fall back to checking each file.
final class FileChangeWatcher: @unchecked Sendable {
    private let lock = HostLock()
    private var descriptor: Int32 = -1
    private var current: UInt64 = 1
    /// Where events are read, used under `lock` (allocated once: this is read on every request).
    private let eventBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 4096, alignment: 8)
    /// Folders watched with everything below them.
    private let trees: [String]
    /// Folders watched for their direct entries only (e.g. the site root, to see `modules/` appear).
    private let shallow: [String]

    init(trees: [String], shallow: [String]) {
        self.trees = trees
        self.shallow = shallow
        #if os(Linux)
        let fd = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard fd >= 0 else { return }
        descriptor = fd
        if !addWatches() { stopWatching() }
        #endif
    }

    deinit {
        stopWatching()
        eventBuffer.deallocate()
    }

    /// The change counter now, or nil when changes cannot be watched (check the files instead).
    func generation() -> UInt64? {
        #if os(Linux)
        lock.withLock { () -> UInt64? in
            guard descriptor >= 0 else { return nil }
            drainEvents()
            return descriptor >= 0 ? current : nil
        }
        #else
        return nil
        #endif
    }

    #if os(Linux)
    private static let folderEvents = UInt32(IN_CREATE | IN_DELETE | IN_MODIFY | IN_ATTRIB | IN_CLOSE_WRITE
                                             | IN_MOVED_FROM | IN_MOVED_TO | IN_DELETE_SELF | IN_MOVE_SELF)

    /// Reads every queued event; any event moves the counter, folder events re-scan the watches.
    private func drainEvents() {
        var rewatch = false
        while true {
            let n = read(descriptor, eventBuffer.baseAddress, eventBuffer.count)
            if n <= 0 { break }  // EAGAIN: nothing (more) pending
            current &+= 1
            var offset = 0
            while offset + MemoryLayout<inotify_event>.size <= n {
                let event = eventBuffer.loadUnaligned(fromByteOffset: offset, as: inotify_event.self)
                let (mask, nameLength) = (event.mask, event.len)
                if mask & UInt32(IN_ISDIR | IN_Q_OVERFLOW | IN_IGNORED | IN_DELETE_SELF | IN_MOVE_SELF) != 0 {
                    rewatch = true
                }
                offset += MemoryLayout<inotify_event>.size + Int(nameLength)
            }
        }
        if rewatch && !addWatches() { stopWatching() }
    }

    /// Watches every folder of the trees and the shallow folders (re-adding a watch is harmless).
    /// False when the system ran out of watches.
    private func addWatches() -> Bool {
        var ok = true
        func watch(_ path: String) {
            if inotify_add_watch(descriptor, path, Self.folderEvents) < 0 && (errno == ENOSPC || errno == ENOMEM) {
                ok = false
            }
        }
        for folder in shallow where FileSystem.isDirectory(folder) { watch(folder) }
        for tree in trees where FileSystem.isDirectory(tree) {
            watch(tree)
            FileSystem.walkFolders(tree) { watch($0) }
        }
        return ok
    }
    #endif

    private func stopWatching() {
        if descriptor >= 0 { close(descriptor) }
        descriptor = -1
    }
}
