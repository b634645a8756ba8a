using System.Buffers;

namespace ScraperSky.Scanning.Tests.Fetching;

/// A pool that counts what is rented from it and given back, for tests of who owns a page's buffers.
internal sealed class CountingPool<T> : ArrayPool<T>
{
    public int Rented { get; private set; }

    public int Returned { get; private set; }

    public override T[] Rent(int minimumLength)
    {
        Rented++;
        return new T[minimumLength];
    }

    public override void Return(T[] array, bool clearArray = false) => Returned++;
}
