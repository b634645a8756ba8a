using System.Buffers;

namespace ScraperSky.Scanning.Tests.Fetching;

/// A pool that counts what is rented from it and given back, for tests of who owns a page's buffers.
internal sealed class CountingPool<T> : ArrayPool<T>
{
    public int Rented { get; private set; }

    public int Returned { get; private set; }

    /// The length asked for by the last rent.
    public int LastLength { get; private set; }

    public override T[] Rent(int minimumLength)
    {
        Rented++;
        LastLength = minimumLength;
        return new T[minimumLength];
    }

    public override void Return(T[] array, bool clearArray = false) => Returned++;
}
