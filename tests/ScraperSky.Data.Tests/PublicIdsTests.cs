namespace ScraperSky.Data.Tests;

public sealed class PublicIdsTests
{
    private static readonly Guid Id = Guid.Parse("1fa3b605-358f-4a0d-927c-0d11b0eb27de");

    [Theory]
    [InlineData("scan_1fa3b605358f4a0d927c0d11b0eb27de")]
    [InlineData("1fa3b605358f4a0d927c0d11b0eb27de")]
    [InlineData("1fa3b605-358f-4a0d-927c-0d11b0eb27de")]
    public void Prefixed_and_bare_forms_parse_to_the_same_id(string value)
    {
        Assert.True(PublicIds.TryParse(value, "scan_", out var id));
        Assert.Equal(Id, id);
    }

    [Theory]
    [InlineData("scan_xyz")]
    [InlineData("")]
    [InlineData("scan_1fa3b605358f4a0d927c0d11b0eb27")]
    public void Malformed_ids_do_not_parse(string value) => Assert.False(PublicIds.TryParse(value, "scan_", out _));

    [Fact]
    public void Public_ids_are_the_prefix_and_32_lower_case_hex_digits() =>
        Assert.Equal("scan_1fa3b605358f4a0d927c0d11b0eb27de", PublicIds.Format("scan_", Id));
}
