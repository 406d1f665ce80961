import NIOPosix
import Synchronization

/// The bounded pool of threads that run `RequestHandler.handle`, off the event loops.
///
/// Site code may block a thread for as long as a script's wall-clock budget, so it must never
/// run on an event loop: one slow page would stall the I/O of every connection on that loop.
final class RequestWorkers: Sendable {
    let pool: NIOThreadPool
    /// Requests submitted and not yet finished (waiting or running).
    private let outstanding = Atomic<Int>(0)
    /// Most requests outstanding at once: the workers plus the allowed queue.
    private let capacity: Int

    init(threads: Int, maxQueued: Int) {
        self.pool = NIOThreadPool(numberOfThreads: max(1, threads))
        self.capacity = max(1, threads) + max(0, maxQueued)
    }

    func start() {
        self.pool.start()
    }

    /// Runs `work` on a worker thread. Returns false, without running anything, when the queue
    /// is full. `work` receives true instead of running normally when the pool shut down first.
    func submit(_ work: @escaping @Sendable (_ cancelled: Bool) -> Void) -> Bool {
        let before = self.outstanding.add(1, ordering: .relaxed).oldValue
        guard before < self.capacity else {
            self.outstanding.subtract(1, ordering: .relaxed)
            return false
        }
        self.pool.submit { state in
            work(state == .cancelled)
            self.outstanding.subtract(1, ordering: .relaxed)
        }
        return true
    }
}
