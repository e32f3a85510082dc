//! The table of normalization cases: what a narrator says for what the book prints, across
//! every category, including text that must come through unchanged.

use super::Rules;
use super::words::Style;

const AMERICAN: Rules = Rules::English(Style::American);

/// (printed, spoken) in American English.
const CASES: &[(&str, &str)] = &[
    // Years in every position, decades with apostrophes, abbreviated months.
    ("It was 1888.", "It was eighteen eighty-eight."),
    (
        "He came back in 1888, older.",
        "He came back in eighteen eighty-eight, older.",
    ),
    (
        "There were 1888 soldiers.",
        "There were one thousand eight hundred eighty-eight soldiers.",
    ),
    (
        "On Sept. 3, 1752 it changed.",
        "On September third, seventeen fifty-two it changed.",
    ),
    (
        "Dated Jan 5, 1900.",
        "Dated January fifth, nineteen hundred.",
    ),
    ("The 1960's were loud.", "The nineteen sixties were loud."),
    ("In the ’70s we met.", "In the seventies we met."),
    // Decimals, versions, science, signs.
    (
        "It took 0.05 seconds.",
        "It took zero point zero five seconds.",
    ),
    ("A gain of 0.5 dB.", "A gain of zero point five dB."),
    (
        "Use version 3.2.1 now.",
        "Use version three point two point one now.",
    ),
    (
        "Some 2.5E8 stars.",
        "Some two point five times ten to the eighth stars.",
    ),
    (
        "About 3 × 10⁸ m per second.",
        "About three times ten to the eighth meters per second.",
    ),
    ("It rose +3 points.", "It rose plus three points."),
    // Ordinals in older and capital forms.
    ("He came 1ST.", "He came first."),
    (
        "The 2d and 3d regiments.",
        "The second and third regiments.",
    ),
    ("The 22d of May.", "The twenty-second of May."),
    // Chapters, appendices and letters.
    ("See Chapter 01.", "See Chapter one."),
    ("Read Section 007 first.", "Read Section seven first."),
    ("See Appendix C.", "See Appendix C."),
    ("As Figure D shows.", "As Figure D shows."),
    ("It was Plan B.", "It was Plan B."),
    ("BOOK IV", "Book four"),
    ("Part II begins.", "Part two begins."),
    ("II", "Two"),
    ("XIV.", "Fourteen"),
    // Capitals.
    (
        "MY DEAR SIR, I write to you.",
        "My Dear Sir, I write to you.",
    ),
    (
        "He wrote: THE END OF ALL THINGS.",
        "He wrote: the End of All Things.",
    ),
    ("IT WAS the best of times.", "It was the best of times."),
    (
        "Sacred TO THE Memory OF John.",
        "Sacred to the Memory of John.",
    ),
    ("The FBI and the BBC.", "The FBI and the BBC."),
    ("A NASA probe.", "A NASA probe."),
    (
        "It makes PDF, EPUB and MOBI.",
        "It makes PDF, EPUB and MOBI.",
    ),
    ("Sylvan scene. V. Milton", "Sylvan scene. V. Milton"),
    (
        "NO GOOD Blood IN Their Veins?",
        "No Good Blood in Their Veins?",
    ),
    // Times and durations.
    ("At 6.30 pm we ate.", "At six thirty P M we ate."),
    (
        "It ran 1:02:03 in all.",
        "It ran one hour, two minutes and three seconds in all.",
    ),
    ("Only 0:00:45 left.", "Only forty-five seconds left."),
    // Ranges with units, superscripts, subscripts.
    (
        "It is 10–15 km away.",
        "It is ten to fifteen kilometers away.",
    ),
    (
        "Keep it at 40–60 °C.",
        "Keep it at forty to sixty degrees Celsius.",
    ),
    (
        "A room of 12 m² only.",
        "A room of twelve square meters only.",
    ),
    (
        "A volume of 500 cm³.",
        "A volume of five hundred cubic centimeters.",
    ),
    ("It ran at 3 GHz.", "It ran at three gigahertz."),
    ("It took 5 ns.", "It took five nanoseconds."),
    ("Then x² grows.", "Then x squared grows."),
    ("Pure H₂O is rare.", "Pure H two O is rare."),
    // Money in every common form.
    (
        "It cost 7s. 6d. in all.",
        "It cost seven shillings and sixpence in all.",
    ),
    (
        "He paid £2 10s. for it.",
        "He paid two pounds ten shillings for it.",
    ),
    (
        "Tickets are $5–10 each.",
        "Tickets are five to ten dollars each.",
    ),
    ("It was US$5 then.", "It was five US dollars then."),
    ("Only A$10 left.", "Only ten Australian dollars left."),
    ("A C$20 note.", "A twenty Canadian dollars note."),
    ("It costs 50¢ now.", "It costs fifty cents now."),
    ("A 20p coin.", "A twenty pence coin."),
    (
        "He left L100,000 to her.",
        "He left one hundred thousand pounds to her.",
    ),
    (
        "Project Gutenberg™ • and more",
        "Project Gutenberg, and more",
    ),
    ("• An item", "An item"),
    // Fractions and slashed dates.
    ("Add 2 1/2 cups.", "Add two and a half cups."),
    (
        "Born 12/03/1851.",
        "Born December third, eighteen fifty-one.",
    ),
    (
        "Born 25/12/1851.",
        "Born December twenty-fifth, eighteen fifty-one.",
    ),
    // Addresses.
    (
        "He lived at No. 221B.",
        "He lived at Number two hundred twenty-one B.",
    ),
    (
        "Baker Street, 221B, was quiet.",
        "Baker Street, two hundred twenty-one B, was quiet.",
    ),
    ("Flat 16A upstairs.", "Flat sixteen A upstairs."),
    // Cardinals, decimals, separators.
    ("He had 3 sons.", "He had three sons."),
    ("It cost 0 pence.", "It cost zero pence."),
    ("There were 17 of them.", "There were seventeen of them."),
    ("A crew of 105 men.", "A crew of one hundred five men."),
    ("Some 1,200 pews.", "Some one thousand two hundred pews."),
    (
        "About 1,234,567 people.",
        "About one million two hundred thirty-four thousand five hundred sixty-seven people.",
    ),
    ("Pi is 3.14 or so.", "Pi is three point one four or so."),
    ("It weighed 2.5 tons.", "It weighed two point five tons."),
    ("He ran 10,000 miles.", "He ran ten thousand miles."),
    ("Room 40 was empty.", "Room forty was empty."),
    // Ordinals.
    ("The 2nd time.", "The second time."),
    ("His 43rd birthday.", "His forty-third birthday."),
    ("The 21st century.", "The twenty-first century."),
    ("The 100th day.", "The one hundredth day."),
    ("On the 12th floor.", "On the twelfth floor."),
    // Years and decades.
    ("In 1066 they came.", "In ten sixty-six they came."),
    ("Since 1900 nothing.", "Since nineteen hundred nothing."),
    ("By 1905 it was done.", "By nineteen oh five it was done."),
    ("In 2001 we left.", "In two thousand one we left."),
    ("In 2024 we returned.", "In twenty twenty-four we returned."),
    ("The 1920s roared.", "The nineteen twenties roared."),
    ("Back in the '60s.", "Back in the sixties."),
    ("The 1800s were long.", "The eighteen hundreds were long."),
    ("In 55 BC Caesar came.", "In fifty-five B C Caesar came."),
    (
        "Summer 1887 was hot.",
        "Summer eighteen eighty-seven was hot.",
    ),
    // Ranges.
    (
        "The war of 1939–1945.",
        "The war of nineteen thirty-nine to nineteen forty-five.",
    ),
    (
        "From 1914-18 they fought.",
        "From nineteen fourteen to nineteen eighteen they fought.",
    ),
    (
        "Read chapters 4–6 tonight.",
        "Read chapters four to six tonight.",
    ),
    ("See pp. 12–15.", "See pages twelve to fifteen."),
    ("See p. 7.", "See page seven."),
    ("Ages 4-6 welcome.", "Ages four to six welcome."),
    ("Vol. 3 is lost.", "Volume three is lost."),
    ("It is No. 5.", "It is Number five."),
    // Fractions and percentages.
    ("Add 1/2 a cup.", "Add one half a cup."),
    ("About 3/4 of them.", "About three quarters of them."),
    ("Only 2/3 remain.", "Only two thirds remain."),
    ("A 5/16 bolt.", "A five sixteenths bolt."),
    ("Take ½ now.", "Take one half now."),
    ("It is 2½ miles.", "It is two and a half miles."),
    ("Some 45% agreed.", "Some forty-five percent agreed."),
    ("A 3.5% rise.", "A three point five percent rise."),
    ("Down 12 per cent.", "Down twelve percent."),
    // Negative numbers and temperatures.
    (
        "It fell to -5 overnight.",
        "It fell to minus five overnight.",
    ),
    (
        "It was -5°C outside.",
        "It was minus five degrees Celsius outside.",
    ),
    (
        "A fine 72°F day.",
        "A fine seventy-two degrees Fahrenheit day.",
    ),
    ("Turn 90° left.", "Turn ninety degrees left."),
    (
        "Water boils at 100 °C.",
        "Water boils at one hundred degrees Celsius.",
    ),
    // Times.
    ("We met at 7:45.", "We met at seven forty-five."),
    ("At 10:00 sharp.", "At ten o'clock sharp."),
    ("At 12:05 exactly.", "At twelve oh five exactly."),
    (
        "The train left at 9 a.m. today.",
        "The train left at nine A M today.",
    ),
    ("It closed at 5 p.m.", "It closed at five P M."),
    (
        "Dinner at 7:30 p.m. sharp.",
        "Dinner at seven thirty P M sharp.",
    ),
    ("By 6pm it was dark.", "By six P M it was dark."),
    // Dates.
    ("On March 3 they sailed.", "On March third they sailed."),
    (
        "On March 3, 1887, he wrote.",
        "On March third, eighteen eighty-seven, he wrote.",
    ),
    (
        "The 4th of July, 1776.",
        "The fourth of July, seventeen seventy-six.",
    ),
    (
        "Since 4 July they waited.",
        "Since the fourth of July they waited.",
    ),
    (
        "Born 12 May 1820.",
        "Born the twelfth of May eighteen twenty.",
    ),
    ("By June 21st we knew.", "By June twenty-first we knew."),
    // Money.
    (
        "It cost $3.50 then.",
        "It cost three dollars and fifty cents then.",
    ),
    ("Only $1 each.", "Only one dollar each."),
    ("A sum of £5 was paid.", "A sum of five pounds was paid."),
    (
        "It was £2.50 a week.",
        "It was two pounds and fifty pence a week.",
    ),
    ("A price of €20.", "A price of twenty euros."),
    ("Some $0.99 apps.", "Some ninety-nine cents apps."),
    ("It cost $3 million.", "It cost three million dollars."),
    ("A $1.5bn deal.", "A one point five billion dollars deal."),
    (
        "It was $1,250 in all.",
        "It was one thousand two hundred fifty dollars in all.",
    ),
    // Phone numbers and identifiers.
    (
        "Call 555-1234 now.",
        "Call five five five, one two three four now.",
    ),
    (
        "Call (212) 555-1234.",
        "Call two one two, five five five, one two three four.",
    ),
    ("Agent 007 arrived.", "Agent zero zero seven arrived."),
    (
        "Account 12345678 closed.",
        "Account one two three four five six seven eight closed.",
    ),
    // Roman numerals.
    ("CHAPTER IV", "Chapter four"),
    ("PART III. THE RETURN", "Part three. The Return"),
    ("Book II begins.", "Book two begins."),
    ("Act V, Scene ii.", "Act five, Scene two."),
    ("Henry VIII had wives.", "Henry the eighth had wives."),
    // Numerals after a plural of a numbered thing, and those coordinated with them.
    (
        "Cf. Philomela in Parts II and III.",
        "Compare Philomela in Parts two and three.",
    ),
    (
        "Acts I, II, and III; Chapters IV–VI.",
        "Acts one, two, and three; Chapters four to six.",
    ),
    ("Chapter II, I think.", "Chapter two, I think."),
    ("Louis XIV built it.", "Louis the fourteenth built it."),
    ("Elizabeth I ruled.", "Elizabeth the first ruled."),
    ("World War II ended.", "World War two ended."),
    (
        "Pope John XXIII spoke.",
        "Pope John the twenty-third spoke.",
    ),
    ("Then I went home.", "Then I went home."),
    ("I think I can.", "I think I can."),
    ("Malcolm X spoke.", "Malcolm X spoke."),
    // Titles and abbreviations.
    ("Mr. Holmes smiled.", "Mister Holmes smiled."),
    ("Mrs. Hudson knocked.", "Missus Hudson knocked."),
    ("Mr. and Mrs. Smith.", "Mister and Missus Smith."),
    ("Dr. Watson wrote.", "Doctor Watson wrote."),
    ("Ask Prof. Moriarty.", "Ask Professor Moriarty."),
    ("They met at St. Paul's.", "They met at Saint Paul's."),
    (
        "He lived on Baker St. with them.",
        "He lived on Baker Street with them.",
    ),
    ("He lived in Baker St.", "He lived in Baker Street."),
    ("Fruit, e.g. apples.", "Fruit, for example apples."),
    ("Salt, i.e. sodium.", "Salt, that is sodium."),
    (
        "Apples, pears, etc. Then more.",
        "Apples, pears, et cetera. Then more.",
    ),
    (
        "Apples, pears, etc., and more.",
        "Apples, pears, et cetera, and more.",
    ),
    ("Kramer vs. Kramer.", "Kramer versus Kramer."),
    ("Smith & Sons.", "Smith and Sons."),
    ("John Smith Jr. spoke.", "John Smith Junior spoke."),
    ("Capt. Ahab stood.", "Captain Ahab stood."),
    // Units and symbols.
    ("It was 5 km away.", "It was five kilometers away."),
    ("A 1 kg bag.", "A one kilogram bag."),
    ("At 60 mph.", "At sixty miles per hour."),
    ("He was 6 ft tall.", "He was six feet tall."),
    ("2 + 2 = 4", "Two plus two equals four"),
    // Addresses.
    (
        "Visit www.gutenberg.org today.",
        "Visit gutenberg dot org today.",
    ),
    (
        "See https://example.com/books for more.",
        "See example dot com slash books for more.",
    ),
    (
        "Write to j.smith@example.com please.",
        "Write to j dot smith at example dot com please.",
    ),
    // Typography.
    ("“Well,” she said.", "\"Well,\" she said."),
    ("It’s the ﬁrst time.", "It's the first time."),
    ("Wait . . . what?", "Wait … what?"),
    ("No\u{00A0}way.", "No way."),
    ("zero\u{200B}width", "zerowidth"),
    ("He paused -- then spoke.", "He paused—then spoke."),
    ("THE END", "The End"),
    // Heteronyms the tagger cannot tell.
    ("A lead pipe burst.", "A led pipe burst."),
    (
        "It was heavy as a bar of lead.",
        "It was heavy as a bar of led.",
    ),
    ("They lead the way.", "They lead the way."),
    // Unchanged.
    ("Call me Ishmael.", "Call me Ishmael."),
    ("It was the best of times.", "It was the best of times."),
    ("\"Off with her head!\"", "\"Off with her head!\""),
    ("The BBC said so.", "The BBC said so."),
    ("Mix it well.", "Mix it well."),
    ("He said no.", "He said no."),
    ("Did I? Yes, I did.", "Did I? Yes, I did."),
    ("A well-known fact.", "A well-known fact."),
    // A second batch, across every kind: written by a reviewer as a careful narrator reads.
    // Years at the end, after cue words, in quotes, at the start of a sentence.
    (
        "The house was built in 1907.",
        "The house was built in nineteen oh seven.",
    ),
    (
        "By 1850, the town had grown.",
        "By eighteen fifty, the town had grown.",
    ),
    (
        "Ever since 1776 they have argued.",
        "Ever since seventeen seventy-six they have argued.",
    ),
    (
        "A portrait, ca. 1650, hangs there.",
        "A portrait, circa sixteen fifty, hangs there.",
    ),
    (
        "The manuscript (c. 1400) survives.",
        "The manuscript (circa fourteen hundred) survives.",
    ),
    (
        "It dates from circa 1200.",
        "It dates from circa twelve hundred.",
    ),
    (
        "Crowned in A.D. 800, he ruled.",
        "Crowned in A D eight hundred, he ruled.",
    ),
    ("Rome burned in AD 64.", "Rome burned in A D sixty-four."),
    (
        "The Normans came in A.D. 1066.",
        "The Normans came in A D ten sixty-six.",
    ),
    (
        "Founded in 753 BC, the city grew.",
        "Founded in seven hundred fifty-three B C, the city grew.",
    ),
    (
        "He died in 44 B.C. at Rome.",
        "He died in forty-four B C at Rome.",
    ),
    (
        "Plato wrote about 380 BCE.",
        "Plato wrote about three hundred eighty B C E.",
    ),
    (
        "It ended in 1453 AD.",
        "It ended in fourteen fifty-three A D.",
    ),
    (
        "On Oct. 14, 1066 the English lost.",
        "On October fourteenth, ten sixty-six the English lost.",
    ),
    (
        "Signed Feb. 2, 1848.",
        "Signed February second, eighteen forty-eight.",
    ),
    (
        "From Sept. 1939 on, all changed.",
        "From September nineteen thirty-nine on, all changed.",
    ),
    (
        "In May 1940, France fell.",
        "In May nineteen forty, France fell.",
    ),
    (
        "Friday, Dec. 25, 1914.",
        "Friday, December twenty-fifth, nineteen fourteen.",
    ),
    (
        "“It was 1929,” she said.",
        "\"It was nineteen twenty-nine,\" she said.",
    ),
    ("1812 was a hard year.", "Eighteen twelve was a hard year."),
    (
        "In 1800 the census was taken.",
        "In eighteen hundred the census was taken.",
    ),
    (
        "The year 2000 came quietly.",
        "The year two thousand came quietly.",
    ),
    ("In 2010 they moved.", "In twenty ten they moved."),
    (
        "Between 1999 and 2003 it grew.",
        "Between nineteen ninety-nine and two thousand three it grew.",
    ),
    (
        "He wrote it (in 1603).",
        "He wrote it (in sixteen oh three).",
    ),
    (
        "Until 1865; then freedom.",
        "Until eighteen sixty-five; then freedom.",
    ),
    ("July 4th, 1776", "July fourth, seventeen seventy-six"),
    (
        "On the 1st of May, 1886, they struck.",
        "On the first of May, eighteen eighty-six, they struck.",
    ),
    ("By Aug. 1st we were home.", "By August first we were home."),
    ("Born 7/4/1776.", "Born July fourth, seventeen seventy-six."),
    (
        "Dated 1/15/1920, the letter was short.",
        "Dated January fifteenth, nineteen twenty, the letter was short.",
    ),
    // Cardinals that are not years.
    ("There were 2000 men.", "There were two thousand men."),
    (
        "He counted 1776 sheep.",
        "He counted one thousand seven hundred seventy-six sheep.",
    ),
    (
        "It sold 1500 copies in 1850.",
        "It sold one thousand five hundred copies in eighteen fifty.",
    ),
    ("I'm 35.", "I'm thirty-five."),
    ("1, 2, 3, go!", "One, two, three, go!"),
    ("He was 1 of 3.", "He was one of three."),
    // Decades.
    ("The 1890s were gay.", "The eighteen nineties were gay."),
    (
        "In the 1900s, cars came.",
        "In the nineteen hundreds, cars came.",
    ),
    ("She loved the '20s.", "She loved the twenties."),
    (
        "Hair of the 1980's was big.",
        "Hair of the nineteen eighties was big.",
    ),
    (
        "During the 2000s, phones shrank.",
        "During the two thousands, phones shrank.",
    ),
    ("In the 2010s it changed.", "In the twenty tens it changed."),
    ("A man in his 40s.", "A man in his forties."),
    ("The ’90s were kind.", "The nineties were kind."),
    // Year ranges.
    (
        "The Great War, 1914–18, ended.",
        "The Great War, nineteen fourteen to nineteen eighteen, ended.",
    ),
    (
        "He lived 1820–1830 in Paris.",
        "He lived eighteen twenty to eighteen thirty in Paris.",
    ),
    (
        "(1939-1945)",
        "(nineteen thirty-nine to nineteen forty-five)",
    ),
    (
        "Lincoln (1809–1865) was tall.",
        "Lincoln (eighteen oh nine to eighteen sixty-five) was tall.",
    ),
    (
        "In 1999–2001 prices rose.",
        "In nineteen ninety-nine to two thousand one prices rose.",
    ),
    // Decimals.
    (
        "The ratio was 0.50 exactly.",
        "The ratio was zero point five zero exactly.",
    ),
    (
        "A reading of 3.10 volts.",
        "A reading of three point one zero volts.",
    ),
    ("Only .5 remained.", "Only point five remained."),
    (
        "The value rose to 12.75.",
        "The value rose to twelve point seven five.",
    ),
    (
        "Some 1,234.5 tons.",
        "Some one thousand two hundred thirty-four point five tons.",
    ),
    (
        "It measured 0.001 inches.",
        "It measured zero point zero zero one inches.",
    ),
    // Very large numbers.
    (
        "The sum was 1,000,000,000,000.",
        "The sum was one trillion.",
    ),
    (
        "About 7,900,000,000 people.",
        "About seven billion nine hundred million people.",
    ),
    (
        "About 1,234,567,890,123,456,789,012,345 grains.",
        "About one septillion two hundred thirty-four sextillion five hundred sixty-seven quintillion eight hundred ninety quadrillion one hundred twenty-three trillion four hundred fifty-six billion seven hundred eighty-nine million twelve thousand three hundred forty-five grains.",
    ),
    (
        "Its serial was 4839201748392017483920174.",
        "Its serial was four eight three nine two zero one seven four eight three nine two zero one seven four eight three nine two zero one seven four.",
    ),
    // Negative and signed numbers.
    ("It fell to −5 degrees.", "It fell to minus five degrees."),
    (
        "A balance of -12 dollars.",
        "A balance of minus twelve dollars.",
    ),
    ("The score was +7 after.", "The score was plus seven after."),
    (
        "Nights of −40°F.",
        "Nights of minus forty degrees Fahrenheit.",
    ),
    (
        "(−3.5) was the answer.",
        "(minus three point five) was the answer.",
    ),
    ("Then 7 − 2 = 5.", "Then seven minus two equals five."),
    // Scientific notation and powers.
    (
        "Avogadro's number is 6.02E23.",
        "Avogadro's number is six point zero two times ten to the twenty-third.",
    ),
    (
        "An error of 1e-9 seconds.",
        "An error of one times ten to the minus ninth seconds.",
    ),
    (
        "About 6 × 10²³ atoms.",
        "About six times ten to the twenty-third atoms.",
    ),
    (
        "A factor of 10^6 more.",
        "A factor of ten to the sixth more.",
    ),
    (
        "Then 2^10 is 1024.",
        "Then two to the tenth is one thousand twenty-four.",
    ),
    (
        "A mass of 1.5 × 10⁻³ kg.",
        "A mass of one point five times ten to the minus third kilograms.",
    ),
    // Versions.
    (
        "Install v2.0.1 today.",
        "Install version two point zero point one today.",
    ),
    (
        "Upgrade to 10.4.11 now.",
        "Upgrade to ten point four point eleven now.",
    ),
    // Ordinals.
    ("She finished 4th.", "She finished fourth."),
    ("The 102nd Airborne.", "The one hundred second Airborne."),
    ("He was 23RD in line.", "He was twenty-third in line."),
    ("The 1st and 2nd acts.", "The first and second acts."),
    ("On the 3rd, we left.", "On the third, we left."),
    (
        "The 11th, 12th and 13th.",
        "The eleventh, twelfth and thirteenth.",
    ),
    (
        "The 52d Regiment marched.",
        "The fifty-second Regiment marched.",
    ),
    ("Her 1,000th visitor.", "Her one thousandth visitor."),
    ("His 90th birthday.", "His ninetieth birthday."),
    // Leading zeros in numbered headings and identifiers.
    ("Chapter 003", "Chapter three"),
    ("See Section 02 below.", "See Section two below."),
    ("Turn to Part 04.", "Turn to Part four."),
    ("Lot 0042 sold.", "Lot zero zero four two sold."),
    // Times.
    (
        "At 9.45 a.m. the train left.",
        "At nine forty-five A M the train left.",
    ),
    (
        "Her time was 2:03:45.",
        "Her time was two hours, three minutes and forty-five seconds.",
    ),
    (
        "Open 9:00–5:00 daily.",
        "Open nine o'clock to five o'clock daily.",
    ),
    ("Open 9 am–5 pm.", "Open nine A M to five P M."),
    (
        "It struck 12:00 at last.",
        "It struck twelve o'clock at last.",
    ),
    (
        "By 12:30 a.m. all slept.",
        "By twelve thirty A M all slept.",
    ),
    ("At 08:05 he woke.", "At eight oh five he woke."),
    ("The 5:15 train.", "The five fifteen train."),
    ("Breakfast is 7–9 a.m.", "Breakfast is seven to nine A M."),
    (
        "At 11 p.m. the lights went out.",
        "At eleven P M the lights went out.",
    ),
    ("It's 4 o'clock.", "It's four o'clock."),
    // Ranges with units.
    ("Add 5-10 kg of sand.", "Add five to ten kilograms of sand."),
    (
        "See pp. 12–14 again.",
        "See pages twelve to fourteen again.",
    ),
    ("Rest 3–4 hours.", "Rest three to four hours."),
    (
        "It rose 2–3 °F.",
        "It rose two to three degrees Fahrenheit.",
    ),
    ("Walk 2-3 mi a day.", "Walk two to three miles a day."),
    (
        "About 20–30 ms late.",
        "About twenty to thirty milliseconds late.",
    ),
    ("It won 2-1.", "It won two to one."),
    // Units after numbers.
    (
        "It drove 100 km/h.",
        "It drove one hundred kilometers per hour.",
    ),
    (
        "The file was 512 KB.",
        "The file was five hundred twelve kilobytes.",
    ),
    ("It holds 64 GB.", "It holds sixty-four gigabytes."),
    ("Only 700 MB left.", "Only seven hundred megabytes left."),
    (
        "Tuned to 101.5 MHz.",
        "Tuned to one hundred one point five megahertz.",
    ),
    ("It takes 15 ms.", "It takes fifteen milliseconds."),
    ("A cell is 10 μm wide.", "A cell is ten micrometers wide."),
    (
        "Pour 250 mL of milk.",
        "Pour two hundred fifty milliliters of milk.",
    ),
    (
        "He weighed 180 lbs.",
        "He weighed one hundred eighty pounds.",
    ),
    ("Add 8 oz of flour.", "Add eight ounces of flour."),
    ("A board 12 in. wide.", "A board twelve inches wide."),
    (
        "The pool is 25 yd long.",
        "The pool is twenty-five yards long.",
    ),
    ("It is 5 mi north.", "It is five miles north."),
    (
        "Set the oven to 350 °F.",
        "Set the oven to three hundred fifty degrees Fahrenheit.",
    ),
    ("It is 5 m deep.", "It is five meters deep."),
    (
        "The park covers 2 km².",
        "The park covers two square kilometers.",
    ),
    ("A tank of 3 m³.", "A tank of three cubic meters."),
    ("Only 1 mi to go.", "Only one mile to go."),
    ("Drive 50 kph.", "Drive fifty kilometers per hour."),
    (
        "It was 0.5 mm thick.",
        "It was zero point five millimeters thick.",
    ),
    ("A dose of 5 mg.", "A dose of five milligrams."),
    ("He was 6'2\" tall.", "He was six foot two tall."),
    // Superscripts, subscripts, enclosed digits.
    ("Solve for x³ now.", "Solve for x cubed now."),
    ("Let y = x⁴.", "Let y equals x to the fourth."),
    ("Exhale CO₂ slowly.", "Exhale C O two slowly."),
    ("Burn CH₄ cleanly.", "Burn C H four cleanly."),
    ("H₂SO₄ is an acid.", "H two S O four is an acid."),
    ("Step ① is easy.", "Step one is easy."),
    ("See ② and ⑩ below.", "See two and ten below."),
    ("⒈ Preheat the oven.", "One. Preheat the oven."),
    // Money.
    ("It cost NZ$15.", "It cost fifteen New Zealand dollars."),
    (
        "Only HK$100 each.",
        "Only one hundred Hong Kong dollars each.",
    ),
    ("A fare of 75¢.", "A fare of seventy-five cents."),
    ("It cost 3s. 6d.", "It cost three shillings and sixpence."),
    (
        "He paid £1 1s. 6d. for it.",
        "He paid one pound one shilling and sixpence for it.",
    ),
    ("A 50p piece.", "A fifty pence piece."),
    ("It cost £2bn.", "It cost two billion pounds."),
    (
        "A $4.5m budget.",
        "A four point five million dollars budget.",
    ),
    (
        "Sales hit €1.2 billion.",
        "Sales hit one point two billion euros.",
    ),
    ("It cost ¥500.", "It cost five hundred yen."),
    ("It cost ₹200.", "It cost two hundred rupees."),
    (
        "The fare was $2.05.",
        "The fare was two dollars and five cents.",
    ),
    ("Just $0.05 each.", "Just five cents each."),
    ("Prices from £5–£10.", "Prices from five to ten pounds."),
    (
        "It cost $10–20 each.",
        "It cost ten to twenty dollars each.",
    ),
    ("It cost $1,000,000.", "It cost one million dollars."),
    (
        "It rose to $3.5 trillion.",
        "It rose to three point five trillion dollars.",
    ),
    ("£100 was a fortune.", "One hundred pounds was a fortune."),
    (
        "It's €9.99 now.",
        "It's nine euros and ninety-nine cents now.",
    ),
    // Fractions, ratios and slashes.
    ("It grew by 3¾.", "It grew by three and three quarters."),
    ("Use 1/4 of it.", "Use one quarter of it."),
    ("A 3/8 drill bit.", "A three eighths drill bit."),
    ("Cut it 7/16 wide.", "Cut it seven sixteenths wide."),
    ("Add 1 1/4 cups.", "Add one and a quarter cups."),
    ("About ¼ of us.", "About one quarter of us."),
    ("Only 1/3 stayed.", "Only one third stayed."),
    ("Platform 9¾", "Platform nine and three quarters"),
    ("A 50/50 chance.", "A fifty-fifty chance."),
    ("Open 24/7.", "Open twenty-four seven."),
    ("He had 20/20 vision.", "He had twenty-twenty vision."),
    ("Drive at 80 km/h.", "Drive at eighty kilometers per hour."),
    ("Bring cash and/or cards.", "Bring cash and or cards."),
    ("Mix 1:1 with water.", "Mix one to one with water."),
    ("A 3:2 ratio.", "A three to two ratio."),
    ("A 2×4 board.", "A two by four board."),
    ("A 4x4 truck.", "A four by four truck."),
    // Letters that are not numerals.
    ("See Exhibit I.", "See Exhibit I."),
    ("Take Vitamin C daily.", "Take Vitamin C daily."),
    ("Type A people rush.", "Type A people rush."),
    ("She got a Grade B.", "She got a Grade B."),
    ("Meet in Room D.", "Meet in Room D."),
    ("See Appendix B for details.", "See Appendix B for details."),
    ("Column C was empty.", "Column C was empty."),
    ("Plan B failed.", "Plan B failed."),
    // Roman numerals.
    ("Act III, Scene ii", "Act three, Scene two"),
    ("See Vol. III for more.", "See Volume three for more."),
    ("CHAPTER XLII", "Chapter forty-two"),
    ("Chapter XIX. The Storm", "Chapter nineteen. The Storm"),
    ("Part IV: The Return", "Part four: The Return"),
    ("Book XII", "Book twelve"),
    ("III", "Three"),
    ("He played Henry VIII.", "He played Henry the eighth."),
    ("After World War II, peace.", "After World War two, peace."),
    ("George III was mad.", "George the third was mad."),
    ("Charles I was beheaded.", "Charles the first was beheaded."),
    ("Edward VII died.", "Edward the seventh died."),
    ("Appendix IV lists them.", "Appendix four lists them."),
    ("Apollo XI landed.", "Apollo eleven landed."),
    (
        "Super Bowl LVII was close.",
        "Super Bowl fifty-seven was close.",
    ),
    (
        "Chapter I. In Which We Meet",
        "Chapter one. In Which We Meet",
    ),
    // Capitals: lead-ins, shouts and acronyms.
    ("CHAPTER THE FIRST", "Chapter The First"),
    (
        "IN THE BEGINNING God created it.",
        "In the Beginning God created it.",
    ),
    ("CIVIL WAR", "Civil War"),
    ("He was NEVER late.", "He was Never late."),
    ("The NATO summit.", "The NATO summit."),
    ("His DNA matched.", "His DNA matched."),
    ("Turn off the TV.", "Turn off the TV."),
    ("Made in the USA.", "Made in the USA."),
    ("He flew to the UK.", "He flew to the UK."),
    ("Buy the CD.", "Buy the CD."),
    ("Send me your CV.", "Send me your CV."),
    ("He is an MD.", "He is an MD."),
    // Addresses and identifiers.
    ("Apt. 3C is hers.", "Apartment three C is hers."),
    ("She lives in Flat 4a.", "She lives in Flat four A."),
    ("No. 10 Downing Street.", "Number ten Downing Street."),
    (
        "ISBN 978-0-14-143951-8",
        "I S B N nine seven eight, zero, one four, one four three nine five one, eight",
    ),
    (
        "Dial (212) 555-0199 now.",
        "Dial two one two, five five five, zero one nine nine now.",
    ),
    ("Call 911 now.", "Call nine one one now."),
    ("ZIP 90210", "ZIP nine zero two one zero"),
    (
        "Her zip code is 10001.",
        "Her zip code is one zero zero zero one.",
    ),
    (
        "Flight 1549 landed on the Hudson.",
        "Flight fifteen forty-nine landed on the Hudson.",
    ),
    (
        "Get your kicks on Route 66.",
        "Get your kicks on Route sixty-six.",
    ),
    ("Room 101 waited.", "Room one oh one waited."),
    ("Take I-95 south.", "Take I-ninety-five south."),
    ("See Fig. 12.", "See Figure twelve."),
    (
        "Nos. 3 and 4 were sold.",
        "Numbers three and four were sold.",
    ),
    ("See § 4.", "See section four."),
    ("He read Catch-22.", "He read Catch-twenty-two."),
    // Code, maths and symbols.
    ("Set x = y + 2.", "Set x equals y plus two."),
    ("If a < b, stop.", "If a less than b, stop."),
    ("5 × 3 = 15", "Five times three equals fifteen"),
    ("10 ÷ 2 = 5", "Ten divided by two equals five"),
    (
        "If x ≥ 3, go on.",
        "If x greater than or equal to three, go on.",
    ),
    ("If x ≠ 0, divide.", "If x does not equal zero, divide."),
    ("~50 people came.", "About fifty people came."),
    ("A #1 hit.", "A number one hit."),
    ("Get 50% off today.", "Get fifty percent off today."),
    ("Only 0.5% voted.", "Only zero point five percent voted."),
    ("Costs vary ±5%.", "Costs vary plus or minus five percent."),
    ("Shop at A&P.", "Shop at A and P."),
    ("R&D spending rose.", "R and D spending rose."),
    ("He wrote C++ code.", "He wrote C plus plus code."),
    (
        "Mail email@example.com today.",
        "Mail email at example dot com today.",
    ),
    // Unchanged.
    ("I know.", "I know."),
    ("A man walked in.", "A man walked in."),
    ("A dog barked twice.", "A dog barked twice."),
    ("Is it I?", "Is it I?"),
    ("What did I do?", "What did I do?"),
    ("I, too, was there.", "I, too, was there."),
    ("She said: I will.", "She said: I will."),
    ("X marks the spot.", "X marks the spot."),
    ("Vitamin D helps.", "Vitamin D helps."),
    ("She got an A on the test.", "She got an A on the test."),
    ("He wore a T-shirt.", "He wore a T-shirt."),
    (
        "The quick brown fox jumps over the lazy dog.",
        "The quick brown fox jumps over the lazy dog.",
    ),
    ("She read the letter aloud.", "She read the letter aloud."),
    ("'Tis the season.", "'Tis the season."),
    ("He said, \"Go away!\"", "He said, \"Go away!\""),
    ("Oh, dear me; it's late.", "Oh, dear me; it's late."),
    ("Jane Eyre sighed.", "Jane Eyre sighed."),
    ("Vi and Di came.", "Vi and Di came."),
    ("The civic mill was dim.", "The civic mill was dim."),
    ("Ivy grew on the wall.", "Ivy grew on the wall."),
    ("To be, or not to be.", "To be, or not to be."),
    ("Well — I never!", "Well — I never!"),
    ("It's over, isn't it?", "It's over, isn't it?"),
    ("Ask Alexander; he knows.", "Ask Alexander; he knows."),
    ("We lunch at noon.", "We lunch at noon."),
    ("Mix it, then let it cool.", "Mix it, then let it cool."),
    ("Washington, DC, was hot.", "Washington, DC, was hot."),
    ("Liv and Max left early.", "Liv and Max left early."),
    (
        "At 10:15:30 the bell rang.",
        "At ten fifteen and thirty seconds the bell rang.",
    ),
    ("See p. xiv.", "See page fourteen."),
    ("Open config.txt first.", "Open config dot txt first."),
    ("It took 40 min. to boil.", "It took forty minutes to boil."),
    ("It took 2 hrs. to dry.", "It took two hours to dry."),
    (
        "# Chapter 112. The Blacksmith.",
        "# Chapter one hundred twelve. The Blacksmith.",
    ),
    (
        "It had 999 rooms and 112 doors.",
        "It had nine hundred ninety-nine rooms and one hundred twelve doors.",
    ),
    (
        "She dropped out at 1:02:03.",
        "She dropped out at one hour, two minutes and three seconds.",
    ),
    (
        "He was 5 ft. 7 in. tall.",
        "He was five feet seven inches tall.",
    ),
    (
        "About five ft. seven in. in height.",
        "About five feet seven inches in height.",
    ),
    (
        "Some 400,000 lbs. of beef.",
        "Some four hundred thousand pounds of beef.",
    ),
    (
        "It dates from about 1600.",
        "It dates from about sixteen hundred.",
    ),
    ("I. The Burial of the Dead", "One. The Burial of the Dead"),
    // A one-letter word after the numeral: "A Game of Chess".
    ("II. A Game of Chess", "Two. A Game of Chess"),
    ("IV. Death by Water", "Four. Death by Water"),
    ("IN MEMORY OF Jane Doe.", "In Memory of Jane Doe."),
    ("WEBSTER'S DICTIONARY", "Webster's Dictionary"),
    ("It is written in XHTML.", "It is written in XHTML."),
    ("At seven in the morning.", "At seven in the morning."),
    (
        "We met from 9.30 to 11.45 daily.",
        "We met from nine thirty to eleven forty-five daily.",
    ),
    ("Tues. we met again.", "Tuesday we met again."),
    (
        "Sat., the 22nd, was wet.",
        "Saturday, the twenty-second, was wet.",
    ),
    (
        "See Inferno, iii. 55-7.",
        "See Inferno, iii. fifty-five to fifty-seven.",
    ),
    (
        "Pages 123-8 cover it.",
        "Pages one hundred twenty-three to one hundred twenty-eight cover it.",
    ),
    ("Cf. Ezekiel 2:1.", "Compare Ezekiel two one."),
    (
        "John Smith, Esq., of Leeds.",
        "John Smith, Esquire, of Leeds.",
    ),
    ("The MSS. were lost.", "The manuscripts were lost."),
    (
        "He lived in Baker St., near the park.",
        "He lived in Baker Street, near the park.",
    ),
    ("So E = mc² holds.", "So E equals m c squared holds."),
    ("O'BRIEN'S HOUSE", "O'Brien's House"),
    ("C. S. Lewis wrote it.", "C. S. Lewis wrote it."),
    ("L. Frank Baum wrote it.", "L. Frank Baum wrote it."),
];

/// Cases a careful narrator reads differently from bookvoice today: each must still differ
/// (when one is fixed, this test says so, and it moves into [`CASES`]).
const KNOWN_GAPS: &[(&str, &str)] = &[
    ("The '49ers struck gold.", "The forty-niners struck gold."),
    (
        "At 6.30 p.m. Mr. Holmes arrived.",
        "At six thirty P M Mister Holmes arrived.",
    ),
    ("A 9/11 memorial.", "A nine eleven memorial."),
    ("I said THIS one, not that.", "I said This one, not that."),
    ("STOP! he cried.", "Stop! he cried."),
    ("UNESCO and the UN met.", "UNESCO and the UN met."),
    (
        "Call +44 20 7946 0958.",
        "Call plus four four, two zero, seven nine four six, zero nine five eight.",
    ),
    (
        "Call 1-800-555-0100.",
        "Call one, eight hundred, five five five, zero one zero zero.",
    ),
    (
        "for (i=0; i<10; i++)",
        "for (i equals zero; i less than ten; i plus plus)",
    ),
];

#[test]
fn the_table() {
    assert!(CASES.len() >= 300, "{} cases", CASES.len());
    let failures: Vec<String> = CASES
        .iter()
        .filter_map(|(printed, spoken)| {
            let got = AMERICAN.line(printed);
            (got != *spoken).then(|| format!("{printed:?}\n   want {spoken:?}\n    got {got:?}"))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} cases fail:\n{}",
        failures.len(),
        CASES.len(),
        failures.join("\n")
    );
}

#[test]
fn british_usage_and_other_languages() {
    let british = Rules::for_tag("en-GB");
    assert_eq!(
        british.line("A crew of 105 men."),
        "A crew of one hundred and five men."
    );
    assert_eq!(Rules::for_tag("en_US"), AMERICAN);
    // Shillings and pence alone, and slashed dates day first, in British books.
    assert_eq!(
        british.line("Rooms 8s., sherry 8d., a cab 1s."),
        "Rooms eight shillings, sherry eightpence, a cab one shilling."
    );
    assert_eq!(
        british.line("Born 12/03/1851."),
        "Born the twelfth of March eighteen fifty-one."
    );
    assert_eq!(AMERICAN.line("The 2d. Regiment"), "The second. Regiment");
    let italian = Rules::for_tag("it");
    assert_eq!(italian, Rules::for_lang(crate::lang::Lang::It));
    // Italian typography and rules: "Canto I" is the first canto; the year is espeak-ng's.
    assert_eq!(
        italian.line("Nel 1300, “Canto I” … ﬁne"),
        "Nel 1300, \"Canto primo\" … fine"
    );
    assert_eq!(Rules::for_tag("la"), Rules::Other);
}

#[test]
fn each_passage_by_its_own_rules() {
    // English rules stay out of the French passage, and French ones out of the English.
    assert_eq!(
        AMERICAN.line("Mr. Smith said [M. Dupont a 2 chiens]{lang=fr} on May 3."),
        "Mister Smith said [Monsieur Dupont a 2 chiens]{lang=fr} on May third."
    );
    let spanish = Rules::for_lang(crate::lang::Lang::Es);
    assert_eq!(
        spanish.line("El Sr. Pérez leyó [Dr. Watson in 1887]{lang=en}."),
        "El señor Pérez leyó [Doctor Watson in eighteen eighty-seven]{lang=en}."
    );
}

#[test]
fn dialogue_dashes_stay_text() {
    let spanish = Rules::for_lang(crate::lang::Lang::Es);
    let script = "# Capítulo I\n\n\\- ¿Dónde estoy? - preguntó.\n\n- un punto\n";
    assert_eq!(
        spanish.script(script),
        "# Capítulo 1\n\n— ¿Dónde estoy? — preguntó.\n\n- un punto\n"
    );
}

#[test]
fn scripts_keep_their_marks() {
    let script = "# CHAPTER IV\n\nMr. Holmes paid $3.\n\n- 2 apples\n\n* * *\n";
    assert_eq!(
        AMERICAN.script(script),
        "# Chapter four\n\nMister Holmes paid three dollars.\n\n- Two apples\n\n* * *\n"
    );
    assert_eq!(AMERICAN.text("an exam-\nple of 2"), "an example of two");
}

#[test]
fn known_gaps_are_still_gaps() {
    let fixed: Vec<&str> = KNOWN_GAPS
        .iter()
        .filter(|(printed, spoken)| AMERICAN.line(printed) == *spoken)
        .map(|(printed, _)| *printed)
        .collect();
    assert!(
        fixed.is_empty(),
        "now read right, move them into CASES: {fixed:?}"
    );
}

/// The shared narration cases (`../shared/cases/narration/cases.tsv`, found in real books and
/// other tools' bug reports), where the checkout has them.
#[test]
fn the_shared_narration_cases() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/cases/narration/cases.tsv"
    );
    let Ok(table) = std::fs::read_to_string(path) else {
        eprintln!("skipped: {path} is absent");
        return;
    };
    let british = Rules::English(Style::British);
    let failures: Vec<String> = table
        .lines()
        .filter(|l| !l.starts_with('#') && l.contains('\t'))
        .filter_map(|l| {
            let (printed, spoken) = l.split_once('\t')?;
            let rules = if l.contains("en-GB") {
                british
            } else {
                AMERICAN
            };
            let got = rules.line(printed);
            (got != spoken.trim())
                .then(|| format!("{printed:?}\n   want {spoken:?}\n    got {got:?}"))
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
