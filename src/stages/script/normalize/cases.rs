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
        "About three times ten to the eighth m per second.",
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
        "It cost seven shillings and six pence in all.",
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
];

#[test]
fn the_table() {
    assert!(CASES.len() >= 100, "{} cases", CASES.len());
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
        "Rooms eight shillings, sherry eight pence, a cab one shilling."
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
