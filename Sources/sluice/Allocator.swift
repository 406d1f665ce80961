import CJemalloc

/// The process allocator. The engine allocates a Swift object per string, object and array, so
/// malloc/free are a large share of script time: against glibc's allocator, jemalloc makes
/// string- and object-heavy scripts 5–25% faster, and mimalloc about the same; under HTTP load
/// (worker threads sharing pooled runtimes, so memory is often freed on another thread than
/// the one that allocated it) jemalloc served 1–40% more requests than mimalloc
/// (Benchmarks/README.md, "The allocator").
enum Allocator {
    /// The allocator's name and version, e.g. "jemalloc 5.3.0". Reading it also keeps the
    /// library a real dependency of the executable, so the linker cannot drop it.
    static var description: String {
        var version: UnsafePointer<CChar>? = nil
        var size = MemoryLayout<UnsafePointer<CChar>?>.size
        guard mallctl("version", &version, &size, nil, 0) == 0, let version else { return "jemalloc" }
        let text = String(cString: version)
        return "jemalloc " + (text.split(separator: "-").first.map(String.init) ?? text)
    }
}
