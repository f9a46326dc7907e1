using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;

namespace ChargerFirmware.Aggregator.Tests.Support;

/// <summary>
/// Headless Chromium (Debian's chromium and chromium-driver, which ./test.sh installs) driven by
/// Selenium, with a fresh profile, nothing fetched from outside, a phone-sized window by default.
/// Screenshots go to the folder in AGGREGATOR_SCREENSHOTS when set (the docs' pictures are made so),
/// else to a temporary folder.
/// </summary>
public sealed class Browser : IDisposable
{
    private readonly string _profile = Directory.CreateTempSubdirectory("chromium-").FullName;

    /// <summary>A browser with a <paramref name="width"/> × <paramref name="height"/> window.</summary>
    public Browser(int width = 412, int height = 915)
    {
        if (!File.Exists("/usr/bin/chromium") || !File.Exists("/usr/bin/chromedriver"))
        {
            throw new InvalidOperationException("chromium and chromium-driver are not installed: run ./test.sh, which installs them");
        }

        var options = new ChromeOptions { BinaryLocation = "/usr/bin/chromium" };
        options.AddArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", $"--user-data-dir={_profile}", $"--window-size={width},{height}");
        ChromeDriverService service = ChromeDriverService.CreateDefaultService("/usr/bin", "chromedriver");
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        Driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
        Driver.Manage().Timeouts().ImplicitWait = TimeSpan.Zero;
    }

    /// <summary>The WebDriver.</summary>
    public ChromeDriver Driver { get; }

    /// <summary>Where screenshots go.</summary>
    public static string ScreenshotFolder { get; } = Environment.GetEnvironmentVariable("AGGREGATOR_SCREENSHOTS") is { Length: > 0 } folder
        ? Directory.CreateDirectory(folder).FullName
        : Directory.CreateTempSubdirectory("screens-").FullName;

    /// <summary>Opens <paramref name="url"/>.</summary>
    public void Go(Uri url) => Driver.Navigate().GoToUrl(url);

    /// <summary>The element with id <paramref name="id"/> once visible.</summary>
    public IWebElement Id(string id) => Wait(d => d.FindElements(By.Id(id)).FirstOrDefault(e => e.Displayed));

    /// <summary>The first visible element matching <paramref name="css"/>.</summary>
    public IWebElement Css(string css) => Wait(d => d.FindElements(By.CssSelector(css)).FirstOrDefault(e => e.Displayed));

    /// <summary>Clears the field <paramref name="id"/> and types <paramref name="text"/>.</summary>
    public void Type(string id, string text)
    {
        IWebElement field = Id(id);
        field.Clear();
        field.SendKeys(text);
    }

    /// <summary>Clicks <paramref name="id"/>.</summary>
    public void Click(string id) => Click(Id(id));

    /// <summary>Scrolls <paramref name="element"/> to the middle of the screen (clear of the tab bar), as a thumb would, and taps it.</summary>
    public void Click(IWebElement element)
    {
        Driver.ExecuteScript("arguments[0].scrollIntoView({block: 'center'});", element);
        element.Click();
    }

    /// <summary>Waits until the text of <paramref name="id"/> satisfies <paramref name="condition"/>; returns it.</summary>
    public string TextOf(string id, Func<string, bool> condition) => Wait(d =>
    {
        IWebElement? e = d.FindElements(By.Id(id)).FirstOrDefault();
        return e is not null && condition(e.Text) ? e.Text : null;
    });

    /// <summary>Waits up to 30 s (a shared machine can be slow) for <paramref name="until"/> to give something.</summary>
    public T Wait<T>(Func<IWebDriver, T?> until) => new WebDriverWait(Driver, TimeSpan.FromSeconds(30)).Until(d => until(d))!;

    /// <summary>Saves a PNG of the page as <paramref name="name"/>.png; returns its path.</summary>
    public string Screenshot(string name)
    {
        string path = Path.Combine(ScreenshotFolder, name + ".png");
        Driver.GetScreenshot().SaveAsFile(path);
        return path;
    }

    /// <summary>Quits the browser and removes its profile.</summary>
    public void Dispose()
    {
        Driver.Quit();
        Driver.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
            // Left in the temporary folder.
        }
    }
}
