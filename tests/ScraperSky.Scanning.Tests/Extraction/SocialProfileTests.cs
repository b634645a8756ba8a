using ScraperSky.Scanning.Extraction;

namespace ScraperSky.Scanning.Tests.Extraction;

public sealed class SocialProfileTests
{
    private static readonly SocialLinks Links = FixturePages.Extract("social-profiles.test").SocialLinks;

    [Fact]
    public void Footer_profiles_win_over_share_links_and_links_in_articles()
    {
        Assert.Equal("https://facebook.com/NorthwindOutfitters", Links.Facebook);
        Assert.Equal("https://instagram.com/northwind_outfitters", Links.Instagram);
        Assert.Equal("https://linkedin.com/company/northwind-outfitters", Links.Linkedin);
        Assert.Equal("https://pinterest.com/northwindoutfitters", Links.Pinterest);
    }

    [Fact]
    public void Json_ld_same_as_gives_profiles_in_canonical_form()
    {
        Assert.Equal("https://x.com/northwindout", Links.Twitter);
        Assert.Equal("https://youtube.com/@northwindoutfitters", Links.Youtube);
        Assert.Equal("https://tiktok.com/@northwind.out", Links.Tiktok);
    }

    [Theory]
    [InlineData("https://www.facebook.com/sharer/sharer.php?u=x")]
    [InlineData("https://www.facebook.com/share.php?u=x")]
    [InlineData("https://www.facebook.com/dialog/feed?app_id=1")]
    [InlineData("https://www.facebook.com/policies/cookies/")]
    [InlineData("https://www.facebook.com/plugins/page.php?href=x")]
    [InlineData("https://www.facebook.com/tr?id=1&ev=PageView")]
    [InlineData("https://www.facebook.com/acme/posts/12345")]
    [InlineData("https://twitter.com/intent/tweet?text=x")]
    [InlineData("https://twitter.com/share?url=x")]
    [InlineData("https://twitter.com/home")]
    [InlineData("https://x.com/i/flow/login")]
    [InlineData("https://www.linkedin.com/shareArticle?mini=true&url=x")]
    [InlineData("https://www.linkedin.com/sharing/share-offsite/?url=x")]
    [InlineData("https://www.instagram.com/p/C1a2b3c4d5/")]
    [InlineData("https://www.instagram.com/explore/tags/bread/")]
    [InlineData("https://www.instagram.com/.hidden/")]
    [InlineData("https://www.instagram.com/trailing./")]
    [InlineData("https://box.com/acme")]
    [InlineData("https://www.youtube.com/watch?v=dQw4w9WgXcQ")]
    [InlineData("https://www.youtube.com/embed/dQw4w9WgXcQ")]
    [InlineData("https://www.tiktok.com/@acme/video/7234567890")]
    [InlineData("https://www.tiktok.com/embed/v2/7234567890")]
    [InlineData("https://pinterest.com/pin/create/button/?url=x")]
    [InlineData("https://www.pinterest.com/pin/123456/")]
    [InlineData("https://example.com/facebook.com/acme")]
    [InlineData("mailto:acme@facebook.com")]
    public void Share_links_posts_and_platform_pages_are_not_profiles(string url)
    {
        Assert.False(SocialProfiles.TryParse(url, out _, out _));
    }

    [Theory]
    [InlineData("http://fb.com/acme.bakery", SocialPlatform.Facebook, "https://facebook.com/acme.bakery")]
    [InlineData("https://m.facebook.com/profile.php?id=100064", SocialPlatform.Facebook, "https://facebook.com/profile.php?id=100064")]
    [InlineData("https://mobile.twitter.com/Acme_HQ?lang=en", SocialPlatform.Twitter, "https://twitter.com/acme_hq")]
    [InlineData("https://de.linkedin.com/in/jane-doe-123/", SocialPlatform.Linkedin, "https://linkedin.com/in/jane-doe-123")]
    [InlineData("https://www.youtube.com/channel/UC_x5XG1OV2P6uZZ5FSM9Ttw", SocialPlatform.Youtube, "https://youtube.com/channel/UC_x5XG1OV2P6uZZ5FSM9Ttw")]
    [InlineData("https://youtube.com/user/AcmeVideos", SocialPlatform.Youtube, "https://youtube.com/user/AcmeVideos")]
    [InlineData("https://instagram.com/@acme", SocialPlatform.Instagram, "https://instagram.com/acme")]
    [InlineData("https://www.instagram.com/some.brand/", SocialPlatform.Instagram, "https://instagram.com/some.brand")]
    [InlineData("https://instagram.com/_acme.bakery_", SocialPlatform.Instagram, "https://instagram.com/_acme.bakery_")]
    [InlineData("https://x.com/Acme_HQ", SocialPlatform.Twitter, "https://x.com/acme_hq")]
    [InlineData("https://www.x.com/AcmeHQ/status/123", SocialPlatform.Twitter, "https://x.com/acmehq")]
    public void Profile_links_are_canonicalised(string url, SocialPlatform platform, string canonical)
    {
        Assert.True(SocialProfiles.TryParse(url, out var actualPlatform, out var profile));
        Assert.Equal(platform, actualPlatform);
        Assert.Equal(canonical, profile);
    }
}
