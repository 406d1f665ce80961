import CMimalloc

/// The process allocator. The engine allocates a Swift object per string, object and array, so
/// malloc/free are a large share of script time; measured on the bench scripts, mimalloc makes
/// string-heavy scripts about a fifth faster than glibc's allocator (Benchmarks/README.md).
enum Allocator {
    /// The allocator's name and version, e.g. "mimalloc 2.0.9". Calling it also keeps the
    /// library a real dependency of the executable, so the linker cannot drop it.
    static var description: String {
        let v = Int(mi_version())
        return "mimalloc \(v / 100).\(v / 10 % 10).\(v % 10)"
    }
}
