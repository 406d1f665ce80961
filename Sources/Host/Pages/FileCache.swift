/// Compiled artefacts keyed by file path, rebuilt when the file's size or modification time
/// changes: one compilation serves every request until the file is edited.
final class FileCache<Value: Sendable>: @unchecked Sendable {
    private struct Entry {
        let stamp: FileSystem.Stamp
        let value: Value
    }

    private let lock = HostLock()
    private var entries: [String: Entry] = [:]

    /// The cached value for `path`, or `build(contents)` when the file is new or changed; nil when
    /// the file does not exist. Builds run outside the lock (two threads may build the same file
    /// once each after an edit; both results are equivalent).
    func value(for path: String, build: (String) -> Value) -> Value? {
        guard let stamp = FileSystem.stamp(path) else {
            lock.withLock { _ = entries.removeValue(forKey: path) }
            return nil
        }
        if let hit = lock.withLock({ entries[path] }), hit.stamp == stamp { return hit.value }
        guard let text = FileSystem.readText(path) else { return nil }
        let value = build(text)
        lock.withLock { entries[path] = Entry(stamp: stamp, value: value) }
        return value
    }
}
