extension PlainTextExtractor {
    /// Language resources the features read: English function words and the vocabulary of page
    /// furniture, none taken from any particular site.
    enum Lexicon {
        static let stopwords: Set<String> = [
            "a", "about", "above", "according", "across", "after", "afterwards", "again", "against", "ago", "all",
            "almost", "alone", "along", "already", "also", "although", "always", "am", "among", "amongst", "an",
            "and", "another", "any", "anyone", "anything", "are", "aren't", "around", "as", "at", "away", "back",
            "be", "became", "because", "become", "becomes", "been", "before", "being", "below", "besides",
            "between", "beyond", "both", "but", "by", "came", "can", "can't", "cannot", "come", "comes", "could",
            "couldn't", "did", "didn't", "do", "does", "doesn't", "doing", "don't", "done", "down", "due", "during",
            "each", "either", "else", "enough", "even", "ever", "every", "everyone", "everything", "few", "for",
            "former", "from", "further", "get", "gets", "getting", "give", "given", "go", "goes", "going", "gone",
            "got", "had", "hadn't", "has", "hasn't", "have", "haven't", "having", "he", "he'd", "he'll", "he's",
            "her", "here", "hers", "herself", "him", "himself", "his", "how", "however", "i", "i'd", "i'll", "i'm",
            "i've", "if", "in", "including", "indeed", "instead", "into", "is", "isn't", "it", "it's", "its",
            "itself", "just", "know", "known", "last", "later", "least", "less", "let", "like", "likely", "made",
            "make", "makes", "making", "many", "may", "maybe", "me", "meanwhile", "might", "more", "moreover",
            "most", "mostly", "much", "must", "my", "myself", "near", "nearly", "neither", "never", "nevertheless",
            "no", "nobody", "none", "nor", "not", "nothing", "now", "of", "off", "often", "on", "once", "one",
            "only", "onto", "or", "other", "others", "otherwise", "our", "ours", "ourselves", "out", "over", "own",
            "per", "perhaps", "put", "quite", "rather", "really", "said", "same", "say", "says", "see", "seem",
            "seemed", "seems", "seen", "several", "shall", "she", "she'd", "she'll", "she's", "should",
            "shouldn't", "since", "so", "some", "somehow", "someone", "something", "sometimes", "still", "such",
            "take", "taken", "than", "that", "that's", "the", "their", "theirs", "them", "themselves", "then",
            "there", "there's", "thereafter", "therefore", "these", "they", "they'd", "they'll", "they're",
            "they've", "this", "those", "though", "through", "throughout", "thus", "till", "to", "together",
            "too", "toward", "towards", "under", "unless", "until", "up", "upon", "us", "very", "via", "was",
            "wasn't", "way", "we", "we'd", "we'll", "we're", "we've", "well", "were", "weren't", "what", "what's",
            "whatever", "when", "whenever", "where", "whereas", "whether", "which", "while", "who", "who's",
            "whoever", "whole", "whom", "whose", "why", "will", "with", "within", "without", "won't", "would",
            "wouldn't", "yet", "you", "you'd", "you'll", "you're", "you've", "your", "yours", "yourself",
            "yourselves", "told", "tell", "went", "want", "wanted", "two", "three", "first", "new", "next",
            "time", "year", "years", "people", "day", "days", "week", "weeks", "there'd", "who'd", "where's",
        ]

        static let months = [
            "january", "february", "march", "april", "may", "june",
            "july", "august", "september", "october", "november", "december",
        ]

        /// Full month names of other languages of the stoplists, lowercased, with their number.
        static let foreignMonths: [String: Int] = {
            let names = [
                // Italian, Spanish, Portuguese, French
                "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre",
                "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
                "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro",
                "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
                // German, Dutch, Indonesian and Malay, Swedish and Danish and Norwegian
                "januar februar märz april mai juni juli august september oktober november dezember",
                "januari februari maart april mei juni juli augustus september oktober november december",
                "januari februari maret april mei juni juli agustus september oktober november desember",
                "januar februar mars april mai juni juli august september oktober november desember",
                // Russian and Polish, as a date writes them (genitive)
                "января февраля марта апреля мая июня июля августа сентября октября ноября декабря",
                "stycznia lutego marca kwietnia maja czerwca lipca sierpnia września października listopada grudnia",
            ]
            var months: [String: Int] = [:]
            for list in names {
                for (index, name) in list.split(separator: " ").enumerated() where months[String(name)] == nil {
                    months[String(name)] = index + 1
                }
            }
            return months
        }()

        /// The month number of a full or abbreviated English month name, or of a full month name in
        /// another language of the stoplists.
        static func month(_ word: String) -> Int? {
            if let full = months.firstIndex(of: word) { return full + 1 }
            if let foreign = foreignMonths[word] { return foreign }
            if word == "sept" { return 9 }
            guard word.count == 3 else { return nil }
            return months.firstIndex { $0.hasPrefix(word) }.map { $0 + 1 }
        }

        static let weekdays: Set<String> = [
            "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
            "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun",
        ]

        static let ordinals: Set<String> = ["st", "nd", "rd", "th"]

        /// Job titles that follow a name in a byline: "Jane Doe, Chief Political Correspondent".
        static let roles: Set<String> = [
            "writer", "correspondent", "editor", "reporter", "columnist", "contributor", "journalist", "producer",
            "analyst", "critic", "staff", "chief", "senior", "writers", "reporters", "editors",
        ]

        /// The word that introduces the names of a byline, per language ("by" in every one:
        /// English bylines stand on pages in other languages). Only the page's own: in English,
        /// "Door", "Da" and "Par" begin titles and names ("Door Dash expands", "Da Vinci").
        static func byWords(in language: Language?) -> Set<String> {
            switch language {
            case nil: ["by", "von", "di", "da", "por", "par", "door", "oleh", "av", "af", "przez"]
            case .german?: ["by", "von"]
            case .italian?: ["by", "di", "da"]
            case .spanish?, .portuguese?, .catalan?, .galician?: ["by", "por"]
            case .french?: ["by", "par"]
            case .dutch?, .afrikaans?: ["by", "door"]
            case .indonesian?, .malay?: ["by", "oleh"]
            case .swedish?, .norwegian?: ["by", "av"]
            case .danish?: ["by", "af"]
            case .polish?: ["by", "przez"]
            default: ["by"]
            }
        }

        /// Words that may precede "by" in a byline.
        static let bylineLeads: Set<String> = [
            "posted", "written", "story", "words", "text", "reporting", "report", "published", "article", "opinion",
            "analysis", "interview", "review", "column", "edited", "compiled",
        ]

        static let dateWords: Set<String> = [
            "published", "updated", "posted", "modified", "am", "pm", "gmt", "utc", "est", "edt", "pst", "pdt",
            "cet", "bst", "ist", "today", "yesterday", "ago", "min", "mins", "minute", "minutes", "hour", "hours",
        ]

        /// Lowercase parts of personal names that a byline keeps.
        static let nameParticles: Set<Substring> = [
            "and", "de", "del", "della", "da", "das", "di", "dos", "du", "la", "le", "van", "von", "der", "den",
            "bin", "al", "el", "ter", "y",
        ]

        static let agencies: [String: String] = [
            "AP": "The Associated Press",
            "AFP": "Agence France-Presse",
            "UPI": "United Press International",
        ]

        static let currencySymbols: Set<Substring> = [
            "$", "€", "£", "¥", "₹", "₩", "₽", "₺", "₪", "฿", "₫", "₱", "₦", "¢",
        ]

        static let currencyCodes: Set<Substring> = [
            "USD", "EUR", "GBP", "JPY", "CNY", "RMB", "INR", "AUD", "CAD", "NZD", "CHF", "SGD", "HKD", "MYR", "RM",
            "IDR", "Rp", "PHP", "THB", "ZAR", "BRL", "MXN", "SEK", "NOK", "DKK", "PLN", "TRY", "AED", "SAR",
            "Rs", "KRW",
        ]

        static let periods: Set<String> = ["month", "mo", "mth", "year", "yr", "week", "wk", "day", "issue"]

        static let promotion: Set<String> = [
            "save", "off", "deal", "deals", "offer", "offers", "discount", "plan", "plans", "trial", "billed",
            "monthly", "annual", "annually", "yearly", "subscribe", "subscription", "premium", "access", "buy",
            "shop", "cart", "checkout", "coupon", "promo", "price", "pricing", "renews", "cancel", "upgrade",
            "thereafter", "value",
        ]

        static let readerPronouns: Set<String> = ["you", "your", "yours", "you're", "you'll", "we", "our", "us", "we're", "we'll"]

        static let callsToAction: Set<String> = [
            "follow", "subscribe", "sign", "join", "download", "get", "click", "tap", "share", "read", "watch",
            "listen", "register", "log", "login", "accept", "allow", "enable", "install", "try", "discover",
            "explore", "contact", "shop", "buy", "like", "support", "donate", "become", "stay", "don't", "never",
        ]

        /// Vocabulary of site furniture that, addressed to the reader, marks a notice rather than prose.
        static let siteFurniture: Set<String> = [
            "cookie", "cookies", "consent", "newsletter", "newsletters", "subscribe", "subscriber", "subscribers",
            "subscription", "javascript", "browser", "adblock", "adblocker", "paywall", "notifications", "alerts",
            "inbox", "login", "app", "privacy", "updates", "channel", "podcast", "unsubscribe", "sign-up",
        ]

        /// Words of page chrome: navigation, sharing, media widgets, recirculation.
        static let interface: Set<String> = [
            "advertisement", "advertising", "ad", "ads", "sponsored", "promoted", "recommended", "related",
            "trending", "popular", "read", "more", "watch", "video", "videos", "photo", "photos", "gallery",
            "share", "tweet", "email", "print", "comment", "comments", "subscribe", "newsletter", "sign", "login",
            "logout", "log", "register", "menu", "search", "skip", "content", "navigation", "home", "icon", "close",
            "clear", "cookie", "cookies", "accept", "privacy", "policy", "terms", "contact", "next", "previous",
            "prev", "top", "also", "click", "tap", "here", "download", "app", "listen", "follow", "loading",
            "toggle", "settings", "account", "profile", "reply", "replies", "facebook", "twitter", "whatsapp",
            "telegram", "instagram", "linkedin", "pinterest", "reddit", "youtube", "copy", "link", "links",
            "latest", "reading", "expand", "collapse", "hide", "bookmark", "feedback", "sections", "edition",
            "audio",
            // The same furniture in other languages of the stoplists (words that are not English ones).
            "vai", "contenuto", "condividi", "commenti", "commento", "leggi", "accedi", "iscriviti", "cerca",
            "rispondi", "stampa", "chiudi", "registrati", "pubblicità", "correlati",
            "zum", "inhalt", "springen", "teilen", "kommentare", "kommentar", "anmelden", "abmelden",
            "registrieren", "suche", "suchen", "drucken", "schließen", "mehr", "lesen", "weiterlesen",
            "abonnieren", "anzeige", "werbung", "startseite", "antworten",
            "aller", "contenu", "partager", "commentaires", "commentaire", "connecter", "abonner", "rechercher",
            "recherche", "imprimer", "fermer", "lire", "accueil", "publicité", "répondre", "connexion",
            "ir", "contenido", "compartir", "comentarios", "comentario", "suscríbete", "suscribirse", "buscar",
            "imprimir", "cerrar", "leer", "portada", "publicidad", "responder", "sesión", "relacionados", "relacionadas",
            "pular", "conteúdo", "compartilhe", "compartilhar", "comentários", "comentário", "assine", "entrar",
            "fechar", "leia", "início", "publicidade",
            "beranda", "bagikan", "komentar", "masuk", "daftar", "cari", "baca", "selengkapnya", "tutup", "iklan",
            "balas", "terkait", "terpopuler", "tautan",
            "inhoud", "delen", "reacties", "inloggen", "zoeken", "sluiten", "advertentie",
            "przejdź", "udostępnij", "komentarze", "zaloguj", "szukaj", "czytaj", "reklama",
            "paylaş", "yorumlar", "yorum", "giriş", "devamı", "reklam",
            "перейти", "поделиться", "комментарии", "войти", "поиск", "читать", "далее", "реклама",
            "dela", "kommentarer", "logga", "sök", "läs", "annons",
        ]

        /// Stems that name what a consent notice is about: cookies and the data-protection laws,
        /// matched inside lowercased text so that inflected and compound forms count.
        static let consentSubjects = ["cookie", "クッキー", "쿠키", "куки", "gdpr", "dsgvo", "rgpd", "lgpd", "kvkk"]

        /// Stems a consent notice asks or explains with, in the languages of the stoplists; two of
        /// them beside a subject above make a paragraph a consent notice.
        static let consentCues = [
            // English
            "consent", "privacy", "accept", "agree", "partners", "personalis", "personaliz", "preferences",
            "settings", "third part", "your data", "your device",
            // German, Dutch, Scandinavian
            "datenschutz", "einwillig", "zustimm", "akzeptier", "einstellungen", "partner", "toestemming",
            "akkoord", "accepteer", "instellingen", "samtyk", "samtycke", "integritet", "personvern",
            "godkänn", "godta",
            // Romance
            "consentement", "accepte", "confidentialité", "données", "paramètr", "privacidad", "acept",
            "consentimiento", "terceros", "informativa", "consenso", "acconsent", "accett", "terze parti",
            "privacidade", "aceit", "consentimento", "concorda", "terceiros", "consimț", "confidențialitate",
            // Indonesian, Malay, Tagalog, Vietnamese
            "persetujuan", "setuju", "privasi", "kebijakan", "dasar privasi", "pahintulot", "đồng ý", "quyền riêng tư",
            // Central and Eastern Europe, Turkish, Finnish, Hungarian, Greek
            "zgod", "prywatnoś", "akceptuj", "souhlas", "soukromí", "súhlas", "gizlilik", "onay", "kabul",
            "suostu", "tietosuoja", "hyväksy", "hozzájárul", "adatvédelm", "elfogad", "согласи", "конфиденциальн",
            "принять", "згод", "приймаю", "συναίνεση", "απορρήτου", "αποδοχή",
            // Unspaced and other scripts
            "同意", "プライバシー", "隐私", "隱私", "개인정보", "동의", "موافق", "خصوصية", "הסכמה", "פרטיות",
        ]

        /// How a page opens the readers' comments below an article, lowercased, matched at the start
        /// of a short line; a number written where "#" stands.
        static let commentOpenings: [String] = [
            "leave a reply", "leave a comment", "post a comment", "add a comment", "write a comment",
            "join the conversation", "join the discussion", "show comments", "view comments", "load comments",
            "read comments", "show all comments", "view all comments", "read all comments", "load more comments",
            "there are # comments", "there is # comment", "# comments on", "# comment on", "# responses to",
            "# response to", "# replies to", "# reply to", "# thoughts on", "# thought on",
            // German, French, Spanish, Italian, Portuguese, Dutch
            "kommentar schreiben", "kommentare anzeigen", "laisser un commentaire", "ajouter un commentaire",
            "deja un comentario", "dejar un comentario", "lascia un commento", "deixe um comentário",
            "deixe um comentario", "plaats een reactie", "laat een reactie achter",
        ]
        /// The words `commentOpenings` begin with.
        static let commentOpeningFirstWords = Set(commentOpenings.compactMap { $0.split(separator: " ").first.map(String.init) })
    }
}
