import NIOCore

/// A task executor that runs every job on one NIO event loop.
///
/// A task that prefers it (`withTaskExecutorPreference`) runs its non-isolated async code on that loop's thread:
/// work enqueued from the loop itself is queued without waking another thread, and a future or continuation
/// completed on the loop resumes the task right there.
final class EventLoopTaskExecutor: TaskExecutor {
    let eventLoop: any EventLoop

    init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute {
            job.runSynchronously(on: self.asUnownedTaskExecutor())
        }
    }
}
