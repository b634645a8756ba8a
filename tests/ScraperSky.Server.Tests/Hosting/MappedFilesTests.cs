using System.Globalization;
using System.IO.MemoryMappedFiles;
using System.Text.RegularExpressions;
using ScraperSky.Server.Hosting;

namespace ScraperSky.Server.Tests.Hosting;

// Alone: every server another test hosts in this process lets all mappings go every 10 s (MallocTrimmer), and under
// load those releases came often enough to land between this test's read and its count five times running.
[CollectionDefinition(nameof(MappedFilesTests), DisableParallelization = true)]
[Collection(nameof(MappedFilesTests))]
public sealed partial class MappedFilesTests
{
    [Theory]
    [InlineData("7f43a0000000-7f43a0100000 r--s 00000000 08:01 1234 /usr/share/dotnet/shared/System.Linq.dll", true)]
    [InlineData("7f43a0000000-7f43a0100000 r-xp 00001000 08:01 1234 /usr/share/dotnet/shared/System.Linq.dll", false)]
    [InlineData("7f43a0000000-7f43a0100000 rw-s 032be000 00:01 292202 /memfd:doublemapper (deleted)", false)]
    [InlineData("7f43a0000000-7f43a0100000 r--s 00000000 00:01 292202 /memfd:doublemapper (deleted)", false)]
    [InlineData("7f43a0000000-7f43a0100000 r--p 00000000 08:01 1234 /usr/lib/x86_64-linux-gnu/libc.so.6", false)]
    [InlineData("7f43a0000000-7f43a0100000 r--s 00000000 00:00 0 ", false)]
    public void Only_read_only_shared_files_are_let_go(string line, bool released)
    {
        Assert.Equal(released, MappedFiles.ReadOnlySharedFile(line) is not null);
    }

    [Fact]
    public void The_range_is_read_from_the_line()
    {
        Assert.Equal((0x7f43a0000000UL, 0x7f43a0100000UL), MappedFiles.ReadOnlySharedFile("7f43a0000000-7f43a0100000 r--s 00000000 08:01 1234 /a.dll"));
    }

    [Fact]
    public void A_read_only_shared_file_mapping_leaves_the_resident_set_and_reads_the_same_after()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "/proc/self/maps is Linux's");
        var path = Path.GetTempFileName();
        try
        {
            var content = new byte[1024 * 1024];
            Random.Shared.NextBytes(content);
            File.WriteAllBytes(path, content);
            using var file = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
            using var view = file.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
            // The mapping is found by its address: the path smaps shows is the file's canonical one, which a temp path
            // need not be. A server left running by another test would let mappings go every 10 s too (MallocTrimmer),
            // which could land between the read and the count: read again until every page counts.
            var start = (ulong)view.SafeMemoryMappedViewHandle.DangerousGetHandle();
            var resident = 0;
            for (var attempt = 0; attempt < 5 && resident < 1024; attempt++)
            {
                Assert.Equal(content, Read(view, content.Length));
                resident = ResidentKiB(start);
            }

            Assert.True(resident >= 1024, "every page was read");

            Assert.True(MappedFiles.Release() >= content.Length);

            Assert.Equal(0, ResidentKiB(start));
            Assert.Equal(content, Read(view, content.Length));
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static byte[] Read(MemoryMappedViewAccessor view, int length)
    {
        var bytes = new byte[length];
        view.ReadArray(0, bytes, 0, length);
        return bytes;
    }

    // Rss of the mapping that starts at an address, from /proc/self/smaps: a mapping's line, then its fields
    // ("Rss:   1024 kB").
    private static int ResidentKiB(ulong start)
    {
        var total = 0;
        var inFile = false;
        foreach (var line in File.ReadLines("/proc/self/smaps"))
        {
            if (MappingLine().Match(line) is { Success: true } mapping)
            {
                inFile = ulong.Parse(mapping.Groups[1].ValueSpan, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture) == start;
            }
            else if (inFile && line.StartsWith("Rss:", StringComparison.Ordinal))
            {
                total += int.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
            }
        }

        return total;
    }

    [GeneratedRegex("^([0-9a-f]+)-[0-9a-f]+ ")]
    private static partial Regex MappingLine();
}
