//! Work over independent items (patients) on every core with the `parallel` feature, else on the caller's
//! thread: the one place core chooses.

/// `f` over `items`, results in the items' order: with the `parallel` feature on rayon's pool (every core, or
/// the pool the caller installed), else one after another.
pub(crate) fn map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync + Send) -> Vec<R> {
    #[cfg(feature = "parallel")]
    {
        use rayon::prelude::*;
        items.par_iter().map(f).collect()
    }
    #[cfg(not(feature = "parallel"))]
    {
        items.iter().map(f).collect()
    }
}

/// Drops `items` on every core with the `parallel` feature (what was made in parallel is freed in parallel,
/// rather than by one thread at the end), else on the caller's thread.
pub(crate) fn free<T: Send>(items: Vec<T>) {
    #[cfg(feature = "parallel")]
    {
        use rayon::prelude::*;
        items.into_par_iter().for_each(drop);
    }
    #[cfg(not(feature = "parallel"))]
    drop(items);
}
