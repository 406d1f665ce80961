/// Compiled artefacts keyed by file path, rebuilt when the file's size or modification time
/// changes: one compilation serves every request until the file is edited.
///
/// Given a `FileChangeWatcher` generation, an entry already checked at that generation is trusted
/// without a `stat`; missing files are remembered the same way (module resolution asks for
/// `modules/NAME.js` before falling back to pages, on every request).
final class FileCache<Value: Sendable>: @unchecked Sendable {
    private struct Entry {
        /// nil: the file did not exist.
        let stamp: FileSystem.Stamp?
        let value: Value?
        /// The watcher's counter when the stamp was last compared with the file.
        var checkedAt: UInt64
    }

    private let lock = HostLock()
    private var entries: [String: Entry] = [:]
    /// The cached value for `path`, or `build(contents)` when the file is new or changed; nil when
    /// the file does not exist. Builds run outside the lock (two threads may build the same file
    /// once each after an edit; both results are equivalent). `generation` must have been read
    /// from the site's watcher before this call (a change after that moves it again); nil checks
    /// the file.
    func value(for path: String, generation: UInt64?, build: (String) -> Value) -> Value? {
        let generation = generation ?? 0
        let cached = lock.withLock { entries[path] }
        if generation != 0, let cached, cached.checkedAt == generation { return cached.value }
        let stamp = FileSystem.stamp(path)
        if let cached, cached.stamp == stamp {
            if generation != 0 { lock.withLock { entries[path]?.checkedAt = generation } }
            return cached.value
        }
        guard let stamp, let text = FileSystem.readText(path) else {
            lock.withLock { entries[path] = Entry(stamp: nil, value: nil, checkedAt: generation) }
            return nil
        }
        let value = build(text)
        lock.withLock { entries[path] = Entry(stamp: stamp, value: value, checkedAt: generation) }
        return value
    }
}
