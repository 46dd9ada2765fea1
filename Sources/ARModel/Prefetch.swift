import CSupport

/// Starts loading the cache line holding `p` (a hint to the processor: it changes nothing and
/// never faults, whatever `p` is). For loops that will soon read scattered rows.
@inlinable @inline(__always)
public func prefetchLine(_ p: UnsafeRawPointer) { arlens_prefetch(p) }
