import SluiceVM

/// A Runtime set up to run one site's pages: builtins plus every host binding, installed once.
/// Per-request data reaches the bindings through `context` and the replaceable globals.
final class PageRuntime {
    let runtime: Runtime
    let context: PageContext
    /// Runs served so far (for the pool's recycling rule).
    var runs = 0

    init(site: Site) throws(VMError) {
        runtime = Runtime()
        let context = PageContext(storage: site.services.storage, writeQueue: site.services.writeQueue)
        self.context = context
        try ContextBindings.install(into: runtime, context: context, brand: site.brandValue,
                                    brandVariables: site.config.variables)
        try ResponseBindings.install(into: runtime, context: context)
        try site.services.installBindings(into: runtime, context: context)
        runtime.recordPristineState()
    }
}

/// Idle page runtimes of one site. A runtime goes back only if its last run left every builtin
/// and global as recorded (`Runtime.isPristine`), so nothing of one request can reach another.
final class PageRuntimePool: @unchecked Sendable {
    private let lock = HostLock()
    private var idle: [PageRuntime] = []
    /// Idle runtimes kept at most (each holds its register file and builtins, a few MiB).
    let capacity: Int
    /// A runtime is retired after this many runs so its heap's garbage never piles up.
    static let maxRunsPerRuntime = 10_000
    /// ... or when its heap holds more than this after a run.
    static let maxRetainedHeapBytes = 16 << 20

    init(capacity: Int = 16) { self.capacity = capacity }

    /// Runtimes made, reused and dropped (for `sluice bench` and logs), and the runs after which a
    /// builtin had been written, so every builtin was compared with its record (the slow check).
    private(set) var created = 0, reused = 0, dropped = 0, fullyCompared = 0
    var counts: (created: Int, reused: Int, dropped: Int, fullyCompared: Int) {
        lock.withLock { (created, reused, dropped, fullyCompared) }
    }

    func take(for site: Site) throws(VMError) -> PageRuntime {
        if let page = lock.withLock({ () -> PageRuntime? in
            let page = idle.popLast()
            if page != nil { reused += 1 } else { created += 1 }
            return page
        }) { return page }
        return try PageRuntime(site: site)
    }

    /// Returns a runtime after its run; it is dropped if the run dirtied it or it is worn out.
    func give(back page: PageRuntime, endedCleanly: Bool) {
        page.runs += 1
        if page.runtime.builtinsMayHaveChanged { lock.withLock { fullyCompared += 1 } }
        guard endedCleanly, page.runs < PageRuntimePool.maxRunsPerRuntime,
              page.runtime.heap.usedBytes < PageRuntimePool.maxRetainedHeapBytes,
              page.runtime.resetToPristine() else {
            lock.withLock { dropped += 1 }
            return
        }
        page.context.log = { _, _ in }
        lock.withLock { if idle.count < capacity { idle.append(page) } else { dropped += 1 } }
    }
}
