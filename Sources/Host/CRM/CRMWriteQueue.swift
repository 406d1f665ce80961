import Dispatch
import Logging
import Synchronization

/// A CRM write accepted with `async: true`, to be performed after the response.
public struct CRMDeferredWrite: Sendable {
    /// What the write does, for the log when it fails (e.g. `setCrmFields pattern-tracker customer:42`).
    public let summary: String
    let perform: @Sendable () throws(CRMError) -> Void

    public init(summary: String, perform: @escaping @Sendable () throws(CRMError) -> Void) {
        self.summary = summary
        self.perform = perform
    }
}

/// Performs `async: true` CRM writes in the background, one at a time, in submission order.
///
/// A request collects its async writes in its `CRMRequestContext`; the host submits them here once
/// the response has been sent (`CRMRequestContext.submitDeferredWrites()`). Failures are logged and
/// never reach the script (which was told `true` when the write was accepted). On shutdown, call
/// `drain()` before closing the site databases. One queue may serve every site.
public final class CRMWriteQueue: Sendable {
    private let queue: DispatchQueue
    private let group = DispatchGroup()
    private let logger: Logger
    private let counters = Mutex<(pending: Int, failed: Int)>((0, 0))

    public init(label: String = "sluice.crm.async-writes", logger: Logger = Logger(label: "sluice.crm")) {
        queue = DispatchQueue(label: label)
        self.logger = logger
    }

    /// Queues writes; they run after everything submitted earlier.
    public func submit(_ writes: [CRMDeferredWrite]) {
        guard !writes.isEmpty else { return }
        counters.withLock { $0.pending += writes.count }
        for write in writes {
            group.enter()
            queue.async { [self] in
                defer { group.leave() }
                do {
                    try write.perform()
                } catch {
                    counters.withLock { $0.failed += 1 }
                    logger.error("async CRM write failed: \(write.summary): \(error)")
                }
                counters.withLock { $0.pending -= 1 }
            }
        }
    }

    /// Blocks until every write submitted so far has been performed.
    public func drain() { group.wait() }

    /// Like `drain()`, giving up after `milliseconds`; returns false on timeout.
    public func drain(timeoutMilliseconds milliseconds: Int) -> Bool {
        group.wait(timeout: .now() + .milliseconds(milliseconds)) == .success
    }

    /// Writes submitted but not yet performed.
    public var pendingCount: Int { counters.withLock { $0.pending } }
    /// Writes that failed since the queue was made.
    public var failedCount: Int { counters.withLock { $0.failed } }
}
