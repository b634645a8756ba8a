namespace ScraperSky.Scanning.Extraction;

/// Collects profile links per platform and picks the business's own: JSON-LD `sameAs` weighs most, then links in the
/// header, footer or navigation, then links in content (which may well be someone else's). Ties go to the first seen.
internal sealed class SocialCandidates
{
    private readonly Dictionary<SocialPlatform, List<(string Profile, int Score)>> _candidates = [];

    public void Add(string url, int weight)
    {
        if (SocialProfiles.TryParse(url, out var platform, out var profile))
        {
            Add(platform, profile, weight);
        }
    }

    public void Add(Uri url, int weight)
    {
        if (SocialProfiles.TryParse(url, out var platform, out var profile))
        {
            Add(platform, profile, weight);
        }
    }

    private void Add(SocialPlatform platform, string profile, int weight)
    {
        if (!_candidates.TryGetValue(platform, out var list))
        {
            _candidates[platform] = list = [];
        }

        var index = list.FindIndex(c => c.Profile.Equals(profile, StringComparison.OrdinalIgnoreCase));
        if (index < 0)
        {
            list.Add((profile, weight));
        }
        else
        {
            list[index] = (list[index].Profile, list[index].Score + weight);
        }
    }

    /// Every profile seen, whatever its weight.
    public List<string> All() => [.. _candidates.Values.SelectMany(list => list.Select(c => c.Profile))];

    public SocialLinks Best() => new()
    {
        Facebook = Pick(SocialPlatform.Facebook),
        Twitter = Pick(SocialPlatform.Twitter),
        Linkedin = Pick(SocialPlatform.Linkedin),
        Instagram = Pick(SocialPlatform.Instagram),
        Youtube = Pick(SocialPlatform.Youtube),
        Tiktok = Pick(SocialPlatform.Tiktok),
        Pinterest = Pick(SocialPlatform.Pinterest),
    };

    private string? Pick(SocialPlatform platform)
    {
        if (!_candidates.TryGetValue(platform, out var list))
        {
            return null;
        }

        var best = list[0];
        foreach (var candidate in list)
        {
            if (candidate.Score > best.Score)
            {
                best = candidate;
            }
        }

        return best.Profile;
    }
}
