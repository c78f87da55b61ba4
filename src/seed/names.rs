//! Word lists for demo people: first names and surnames by origin, the languages
//! people of that origin often speak, and the mapping from census ethnicity to origins.

/// Where a demo person's name comes from. Only used to make names, and the languages
/// that go with them, hang together.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct NamePool {
    pub origin: &'static str,
    pub female: &'static [&'static str],
    pub male: &'static [&'static str],
    pub surnames: &'static [&'static str],
    /// Languages besides English, each with the chance a person speaks it.
    pub languages: &'static [(&'static str, f64)],
}

pub(crate) const ENGLISH: NamePool = NamePool {
    origin: "english",
    female: &[
        "Olivia",
        "Amelia",
        "Isla",
        "Ava",
        "Emily",
        "Sophie",
        "Grace",
        "Charlotte",
        "Lucy",
        "Hannah",
        "Jessica",
        "Sarah",
        "Rebecca",
        "Laura",
        "Emma",
        "Rachel",
        "Claire",
        "Helen",
        "Catherine",
        "Elizabeth",
        "Margaret",
        "Susan",
        "Jane",
        "Alison",
        "Patricia",
        "Joan",
        "Barbara",
        "Jean",
        "Pauline",
        "Linda",
        "Karen",
        "Julie",
        "Nicola",
        "Kate",
        "Harriet",
        "Eleanor",
        "Poppy",
        "Freya",
        "Imogen",
        "Ruth",
        "Gillian",
        "Sheila",
        "Maureen",
        "Valerie",
        "Zoë",
        "Beth",
    ],
    male: &[
        "Oliver",
        "George",
        "Harry",
        "Jack",
        "Charlie",
        "Thomas",
        "James",
        "William",
        "Daniel",
        "Matthew",
        "Samuel",
        "Joseph",
        "Benjamin",
        "Alexander",
        "David",
        "Richard",
        "Peter",
        "John",
        "Michael",
        "Paul",
        "Mark",
        "Andrew",
        "Simon",
        "Stephen",
        "Robert",
        "Christopher",
        "Ian",
        "Graham",
        "Keith",
        "Colin",
        "Trevor",
        "Derek",
        "Alan",
        "Tom",
        "Luke",
        "Alfie",
        "Archie",
        "Noah",
        "Henry",
        "Edward",
        "Rupert",
        "Nigel",
        "Terry",
        "Roy",
    ],
    surnames: &[
        "Smith",
        "Jones",
        "Taylor",
        "Brown",
        "Williams",
        "Wilson",
        "Johnson",
        "Davies",
        "Robinson",
        "Wright",
        "Thompson",
        "Evans",
        "Walker",
        "White",
        "Roberts",
        "Green",
        "Hall",
        "Wood",
        "Jackson",
        "Clarke",
        "Harris",
        "Lewis",
        "Cooper",
        "King",
        "Baker",
        "Turner",
        "Hill",
        "Moore",
        "Ward",
        "Morris",
        "Hughes",
        "Edwards",
        "Parker",
        "Price",
        "Bennett",
        "Griffiths",
        "Fletcher",
        "Marshall",
        "Holmes",
        "Chapman",
        "Palmer",
        "Barnes",
        "Knight",
        "Webb",
        "Ellis",
        "Mason",
        "Dixon",
        "Fraser",
        "Campbell",
        "Stewart",
        "Reid",
        "Morgan",
        "Rees",
        "Owen",
        "Pritchard",
        "Fox",
        "Cole",
        "Hart",
        "Lane",
        "Spencer",
        "Gardner",
        "Atkinson",
        "Pearce",
    ],
    languages: &[("fr", 0.07), ("es", 0.06), ("de", 0.02), ("it", 0.01)],
};

pub(crate) const IRISH: NamePool = NamePool {
    origin: "irish",
    female: &[
        "Aoife", "Siobhán", "Niamh", "Ciara", "Róisín", "Sinéad", "Orla", "Mary", "Bridget",
        "Kathleen", "Maeve", "Clodagh", "Eileen", "Deirdre", "Grainne", "Saoirse",
    ],
    male: &[
        "Seán", "Patrick", "Liam", "Conor", "Ciarán", "Declan", "Eoin", "Niall", "Brendan",
        "Padraig", "Kevin", "Michael", "Dermot", "Fergal", "Cormac", "Oisín",
    ],
    surnames: &[
        "Murphy",
        "Kelly",
        "O'Sullivan",
        "Walsh",
        "O'Brien",
        "Byrne",
        "Ryan",
        "O'Connor",
        "O'Neill",
        "Doyle",
        "McCarthy",
        "Gallagher",
        "Doherty",
        "Kennedy",
        "Lynch",
        "Quinn",
        "Brennan",
        "Fitzgerald",
        "Nolan",
        "McDonagh",
        "Connors",
        "Flanagan",
        "Maguire",
        "Regan",
    ],
    languages: &[],
};

pub(crate) const POLISH: NamePool = NamePool {
    origin: "polish",
    female: &[
        "Agnieszka",
        "Katarzyna",
        "Magdalena",
        "Joanna",
        "Anna",
        "Monika",
        "Ewa",
        "Natalia",
        "Aleksandra",
        "Zofia",
        "Marta",
        "Karolina",
        "Dorota",
        "Małgorzata",
    ],
    male: &[
        "Piotr",
        "Tomasz",
        "Krzysztof",
        "Paweł",
        "Marcin",
        "Michał",
        "Łukasz",
        "Jakub",
        "Kamil",
        "Mateusz",
        "Grzegorz",
        "Wojciech",
        "Adam",
        "Bartosz",
    ],
    surnames: &[
        "Nowak",
        "Kowalski",
        "Wiśniewski",
        "Wójcik",
        "Kamiński",
        "Lewandowski",
        "Zieliński",
        "Szymański",
        "Woźniak",
        "Dąbrowski",
        "Kozłowski",
        "Mazur",
        "Jankowski",
        "Krawczyk",
        "Nowicka",
        "Kowalska",
        "Wiśniewska",
        "Zielińska",
    ],
    languages: &[("pl", 0.9)],
};

pub(crate) const PORTUGUESE: NamePool = NamePool {
    origin: "portuguese",
    female: &[
        "Ana", "Beatriz", "Mariana", "Inês", "Joana", "Sofia", "Rita", "Catarina", "Luana",
        "Fernanda", "Juliana", "Camila", "Larissa", "Vitória",
    ],
    male: &[
        "João", "Pedro", "Tiago", "Rui", "Miguel", "Diogo", "Bruno", "Rafael", "Gustavo", "Lucas",
        "Thiago", "Rodrigo", "Fábio", "Nuno",
    ],
    surnames: &[
        "Silva",
        "Santos",
        "Ferreira",
        "Pereira",
        "Oliveira",
        "Costa",
        "Rodrigues",
        "Martins",
        "Sousa",
        "Fernandes",
        "Gonçalves",
        "Almeida",
        "Ribeiro",
        "Carvalho",
        "Lima",
        "Souza",
        "Barbosa",
        "Nascimento",
    ],
    languages: &[("pt", 0.9)],
};

pub(crate) const SPANISH: NamePool = NamePool {
    origin: "spanish",
    female: &[
        "Lucía", "María", "Carmen", "Laura", "Elena", "Paula", "Marta", "Cristina", "Irene",
        "Alba", "Nuria", "Raquel",
    ],
    male: &[
        "Javier",
        "Carlos",
        "Alejandro",
        "Pablo",
        "Sergio",
        "David",
        "Jorge",
        "Álvaro",
        "Miguel",
        "Raúl",
        "Daniel",
        "Iván",
    ],
    surnames: &[
        "García",
        "Fernández",
        "González",
        "Rodríguez",
        "López",
        "Martínez",
        "Sánchez",
        "Pérez",
        "Gómez",
        "Martín",
        "Jiménez",
        "Ruiz",
        "Hernández",
        "Díaz",
        "Moreno",
        "Álvarez",
    ],
    languages: &[("es", 0.95), ("fr", 0.1)],
};

pub(crate) const LATIN_AMERICAN: NamePool = NamePool {
    origin: "latin_american",
    female: &[
        "Valentina",
        "Daniela",
        "Gabriela",
        "Andrea",
        "Carolina",
        "Paola",
        "Luz",
        "Ximena",
        "Yesenia",
        "Mónica",
        "Diana",
        "Lorena",
        "Marisol",
        "Jimena",
    ],
    male: &[
        "Andrés",
        "Juan Carlos",
        "Luis",
        "Diego",
        "Felipe",
        "Santiago",
        "Mauricio",
        "Jhon",
        "Óscar",
        "Fernando",
        "Hernán",
        "Esteban",
        "Cristian",
        "Wilson",
    ],
    surnames: &[
        "Rodríguez",
        "Gómez",
        "Restrepo",
        "Vargas",
        "Castro",
        "Ramírez",
        "Torres",
        "Rojas",
        "Quispe",
        "Mamani",
        "Cárdenas",
        "Ortiz",
        "Zambrano",
        "Vélez",
        "Mejía",
        "Salazar",
        "Gutiérrez",
        "Morales",
    ],
    languages: &[("es", 0.95), ("pt", 0.05)],
};

pub(crate) const ITALIAN: NamePool = NamePool {
    origin: "italian",
    female: &[
        "Giulia",
        "Francesca",
        "Chiara",
        "Sara",
        "Federica",
        "Alessia",
        "Martina",
        "Valentina",
        "Elisa",
        "Silvia",
    ],
    male: &[
        "Marco",
        "Luca",
        "Alessandro",
        "Andrea",
        "Matteo",
        "Francesco",
        "Giuseppe",
        "Davide",
        "Stefano",
        "Lorenzo",
    ],
    surnames: &[
        "Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci", "Marino",
        "Greco", "Bruno", "Gallo", "Conti", "De Luca", "Costa", "Giordano",
    ],
    languages: &[("it", 0.9), ("es", 0.05)],
};

pub(crate) const FRENCH: NamePool = NamePool {
    origin: "french",
    female: &[
        "Camille",
        "Manon",
        "Chloé",
        "Léa",
        "Juliette",
        "Clémence",
        "Amandine",
        "Élodie",
        "Margaux",
        "Aurélie",
    ],
    male: &[
        "Julien",
        "Thomas",
        "Nicolas",
        "Maxime",
        "Antoine",
        "Guillaume",
        "Louis",
        "Hugo",
        "Théo",
        "Clément",
    ],
    surnames: &[
        "Martin", "Bernard", "Dubois", "Durand", "Leroy", "Moreau", "Laurent", "Lefebvre",
        "Michel", "Garnier", "Fontaine", "Rousseau", "Girard", "Mercier",
    ],
    languages: &[("fr", 0.95), ("de", 0.05)],
};

pub(crate) const ROMANIAN: NamePool = NamePool {
    origin: "romanian",
    female: &[
        "Andreea",
        "Ioana",
        "Elena",
        "Alexandra",
        "Mihaela",
        "Cristina",
        "Roxana",
        "Daniela",
        "Gabriela",
        "Florentina",
    ],
    male: &[
        "Andrei",
        "Alexandru",
        "Ionuț",
        "Mihai",
        "Florin",
        "Bogdan",
        "Cristian",
        "Gheorghe",
        "Marian",
        "Adrian",
    ],
    surnames: &[
        "Popescu",
        "Ionescu",
        "Popa",
        "Radu",
        "Dumitru",
        "Stan",
        "Stoica",
        "Gheorghe",
        "Matei",
        "Ciobanu",
        "Rusu",
        "Munteanu",
        "Lăcătuș",
        "Constantin",
    ],
    languages: &[("ro", 0.9)],
};

pub(crate) const LITHUANIAN: NamePool = NamePool {
    origin: "lithuanian",
    female: &[
        "Rūta", "Jurgita", "Agnė", "Ieva", "Laura", "Greta", "Vaida", "Kristina",
    ],
    male: &[
        "Tomas",
        "Mindaugas",
        "Darius",
        "Andrius",
        "Paulius",
        "Lukas",
        "Jonas",
        "Mantas",
    ],
    surnames: &[
        "Kazlauskas",
        "Jankauskas",
        "Petrauskas",
        "Stankevičius",
        "Vasiliauskas",
        "Žukauskas",
        "Butkus",
        "Paulauskas",
        "Kazlauskienė",
        "Petrauskienė",
    ],
    languages: &[("lt", 0.9)],
};

pub(crate) const GREEK: NamePool = NamePool {
    origin: "greek",
    female: &[
        "Eleni",
        "Maria",
        "Katerina",
        "Sofia",
        "Georgia",
        "Despina",
        "Androulla",
        "Christina",
    ],
    male: &[
        "Georgios", "Nikos", "Dimitris", "Kostas", "Yiannis", "Andreas", "Christos", "Panos",
    ],
    surnames: &[
        "Papadopoulos",
        "Georgiou",
        "Nikolaou",
        "Christodoulou",
        "Ioannou",
        "Constantinou",
        "Demetriou",
        "Michael",
        "Charalambous",
        "Papageorgiou",
    ],
    languages: &[("el", 0.85), ("tr", 0.05)],
};

pub(crate) const TURKISH: NamePool = NamePool {
    origin: "turkish",
    female: &[
        "Ayşe", "Elif", "Zeynep", "Fatma", "Emine", "Merve", "Selin", "Derya", "Gül", "Hatice",
    ],
    male: &[
        "Mehmet", "Mustafa", "Ahmet", "Ali", "Emre", "Burak", "Hasan", "Murat", "Hüseyin", "Can",
    ],
    surnames: &[
        "Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Yıldız", "Aydın", "Öztürk", "Arslan",
        "Doğan", "Kılıç", "Aslan", "Polat", "Erdoğan",
    ],
    languages: &[("tr", 0.9), ("ku", 0.1)],
};

pub(crate) const KURDISH: NamePool = NamePool {
    origin: "kurdish",
    female: &[
        "Rojda", "Berivan", "Dilan", "Zilan", "Nazdar", "Hêvî", "Ronahî", "Jiyan",
    ],
    male: &[
        "Rojhat", "Kawa", "Azad", "Baran", "Dilshad", "Serhat", "Ferhad", "Rêbaz",
    ],
    surnames: &[
        "Ahmed", "Karim", "Mustafa", "Rashid", "Aziz", "Bakir", "Hussein", "Salih", "Amin", "Qadir",
    ],
    languages: &[("ku", 0.85), ("tr", 0.4), ("ar", 0.2)],
};

pub(crate) const NIGERIAN: NamePool = NamePool {
    origin: "nigerian",
    female: &[
        "Adaeze",
        "Chioma",
        "Ngozi",
        "Folake",
        "Funmilayo",
        "Yetunde",
        "Bukola",
        "Oluwaseun",
        "Temitope",
        "Adebola",
        "Amara",
        "Chiamaka",
        "Ifeoma",
        "Blessing",
        "Precious",
        "Grace",
        "Abimbola",
        "Kemi",
        "Nneka",
        "Titilayo",
    ],
    male: &[
        "Chinedu",
        "Emeka",
        "Obinna",
        "Oluwaseun",
        "Adewale",
        "Babatunde",
        "Olumide",
        "Tunde",
        "Segun",
        "Kayode",
        "Ikenna",
        "Chukwuemeka",
        "Femi",
        "Damilola",
        "Uche",
        "Ayodele",
        "Tobi",
        "Daniel",
        "Samuel",
        "Emmanuel",
    ],
    surnames: &[
        "Okafor",
        "Adeyemi",
        "Okonkwo",
        "Adebayo",
        "Olawale",
        "Eze",
        "Nwosu",
        "Ogunleye",
        "Balogun",
        "Afolabi",
        "Okoro",
        "Oyelaran",
        "Ibrahim",
        "Abiodun",
        "Ogunbiyi",
        "Nwachukwu",
        "Adeleke",
        "Olaniyan",
        "Chukwu",
        "Akinola",
        "Oladipo",
        "Onyeka",
    ],
    languages: &[("yo", 0.45), ("ig", 0.25), ("fr", 0.03)],
};

pub(crate) const GHANAIAN: NamePool = NamePool {
    origin: "ghanaian",
    female: &[
        "Akosua", "Abena", "Ama", "Efua", "Adwoa", "Yaa", "Afua", "Esi", "Akua", "Naana", "Gifty",
        "Comfort",
    ],
    male: &[
        "Kwame", "Kofi", "Kwabena", "Kwaku", "Yaw", "Kojo", "Kwesi", "Nana", "Fiifi", "Ebo",
        "Prince", "Isaac",
    ],
    surnames: &[
        "Mensah",
        "Asante",
        "Owusu",
        "Boateng",
        "Osei",
        "Agyeman",
        "Appiah",
        "Danquah",
        "Darko",
        "Amoah",
        "Ansah",
        "Frimpong",
        "Opoku",
        "Acheampong",
    ],
    languages: &[("tw", 0.7), ("fr", 0.03)],
};

pub(crate) const SOMALI: NamePool = NamePool {
    origin: "somali",
    female: &[
        "Hodan", "Ifrah", "Sahra", "Fadumo", "Amina", "Hibo", "Ayan", "Sagal", "Nasra", "Ubah",
    ],
    male: &[
        "Abdirahman",
        "Mohamed",
        "Abdullahi",
        "Hassan",
        "Ahmed",
        "Yusuf",
        "Mahad",
        "Liban",
        "Omar",
        "Abdi",
    ],
    surnames: &[
        "Ali", "Hassan", "Farah", "Warsame", "Osman", "Jama", "Abdi", "Nur", "Egal", "Hersi",
        "Ismail", "Aden",
    ],
    languages: &[("so", 0.9), ("ar", 0.25)],
};

pub(crate) const SIERRA_LEONEAN: NamePool = NamePool {
    origin: "sierra_leonean",
    female: &[
        "Fatmata", "Isatu", "Mariama", "Aminata", "Hawa", "Kadiatu", "Adama", "Mabinty",
    ],
    male: &[
        "Mohamed", "Ibrahim", "Alhaji", "Abu", "Sorie", "Foday", "Sahr", "Momodu",
    ],
    surnames: &[
        "Kamara", "Sesay", "Koroma", "Conteh", "Bangura", "Kargbo", "Turay", "Jalloh", "Mansaray",
        "Fofanah",
    ],
    languages: &[("fr", 0.03)],
};

pub(crate) const EAST_AFRICAN: NamePool = NamePool {
    origin: "east_african",
    female: &[
        "Senait", "Helen", "Tsega", "Selam", "Meron", "Hiwot", "Saba", "Luwam", "Ruth", "Winta",
    ],
    male: &[
        "Tesfaye", "Yonas", "Dawit", "Haile", "Biniam", "Samuel", "Mulugeta", "Yohannes",
        "Amanuel", "Robel",
    ],
    surnames: &[
        "Tesfaye",
        "Gebremedhin",
        "Haile",
        "Bekele",
        "Tekle",
        "Alemu",
        "Abraha",
        "Kidane",
        "Girma",
        "Woldemariam",
    ],
    languages: &[("ti", 0.6), ("am", 0.4), ("ar", 0.1)],
};

pub(crate) const CONGOLESE: NamePool = NamePool {
    origin: "congolese",
    female: &[
        "Gloire",
        "Divine",
        "Merveille",
        "Nadège",
        "Grâce",
        "Chantal",
        "Esther",
        "Bénédicte",
    ],
    male: &[
        "Patrick",
        "Jean-Pierre",
        "Christian",
        "Fiston",
        "Héritier",
        "Serge",
        "Trésor",
        "Blaise",
    ],
    surnames: &[
        "Mbuyi",
        "Kabongo",
        "Ilunga",
        "Mukendi",
        "Tshibangu",
        "Lukusa",
        "Makengo",
        "Kasongo",
        "Nsimba",
        "Mputu",
    ],
    languages: &[("fr", 0.9)],
};

pub(crate) const CARIBBEAN: NamePool = NamePool {
    origin: "caribbean",
    female: &[
        "Marcia",
        "Beverley",
        "Sonia",
        "Jacqueline",
        "Donna",
        "Paulette",
        "Yvonne",
        "Janet",
        "Monique",
        "Tanya",
        "Keisha",
        "Shanice",
        "Jada",
        "Tia",
        "Chantelle",
        "Simone",
        "Claudette",
        "Hyacinth",
        "Althea",
        "Kayla",
    ],
    male: &[
        "Delroy", "Winston", "Errol", "Clive", "Leroy", "Lloyd", "Desmond", "Marlon", "Trevor",
        "Courtney", "Andre", "Jermaine", "Tyrone", "Kieron", "Jordan", "Malachi", "Kyle", "Dwayne",
        "Devon", "Reuben",
    ],
    surnames: &[
        "Campbell", "Williams", "Brown", "Thompson", "Francis", "Grant", "Johnson", "Clarke",
        "Henry", "Reid", "Bailey", "Edwards", "Morgan", "Gordon", "Samuels", "Christie", "Blake",
        "McKenzie", "Forbes", "Powell", "Richards", "Graham", "Stewart", "Walcott", "Hinds",
        "Douglas",
    ],
    languages: &[("fr", 0.02), ("es", 0.02)],
};

pub(crate) const BANGLADESHI: NamePool = NamePool {
    origin: "bangladeshi",
    female: &[
        "Nusrat", "Farzana", "Sadia", "Tahmina", "Shirin", "Rumana", "Jannat", "Tasnim", "Sumaiya",
        "Ruksana", "Salma", "Anika",
    ],
    male: &[
        "Mohammed", "Abdul", "Shahid", "Rahim", "Jamal", "Faisal", "Imran", "Rafiq", "Sayed",
        "Tanvir", "Ashraf", "Zubair",
    ],
    surnames: &[
        "Rahman",
        "Ahmed",
        "Hossain",
        "Islam",
        "Miah",
        "Begum",
        "Uddin",
        "Chowdhury",
        "Khatun",
        "Ali",
        "Akhtar",
        "Karim",
    ],
    languages: &[("bn", 0.9), ("ar", 0.1)],
};

pub(crate) const INDIAN: NamePool = NamePool {
    origin: "indian",
    female: &[
        "Priya", "Anjali", "Kavita", "Deepa", "Sunita", "Neha", "Pooja", "Meera", "Divya",
        "Harpreet", "Rina", "Asha", "Shreya", "Lakshmi",
    ],
    male: &[
        "Rajesh", "Sanjay", "Amit", "Vikram", "Ravi", "Arjun", "Rohan", "Deepak", "Harjit",
        "Nikhil", "Anil", "Suresh", "Karan", "Manish",
    ],
    surnames: &[
        "Patel", "Shah", "Sharma", "Singh", "Kaur", "Gupta", "Kumar", "Mehta", "Desai", "Reddy",
        "Iyer", "Nair", "Joshi", "Malhotra", "Chauhan",
    ],
    languages: &[("hi", 0.5), ("gu", 0.25), ("pa", 0.2), ("ta", 0.08)],
};

pub(crate) const PAKISTANI: NamePool = NamePool {
    origin: "pakistani",
    female: &[
        "Ayesha", "Fatima", "Sana", "Maryam", "Hina", "Zainab", "Nadia", "Saima", "Mehwish",
        "Rabia",
    ],
    male: &[
        "Muhammad", "Usman", "Bilal", "Hamza", "Asif", "Tariq", "Kashif", "Adnan", "Zeeshan",
        "Imran",
    ],
    surnames: &[
        "Khan", "Hussain", "Malik", "Iqbal", "Butt", "Qureshi", "Raza", "Chaudhry", "Siddiqui",
        "Mahmood", "Anwar", "Shah",
    ],
    languages: &[("ur", 0.8), ("pa", 0.3), ("ar", 0.1)],
};

pub(crate) const SRI_LANKAN: NamePool = NamePool {
    origin: "sri_lankan",
    female: &[
        "Thilini", "Nirosha", "Kavitha", "Shalini", "Tharsika", "Abirami", "Dilani", "Janani",
    ],
    male: &[
        "Suresh",
        "Kumaran",
        "Tharshan",
        "Niroshan",
        "Sivakumar",
        "Pradeep",
        "Dinesh",
        "Janaka",
    ],
    surnames: &[
        "Sivakumar",
        "Rajaratnam",
        "Perera",
        "Fernando",
        "Selvarajah",
        "Thavarajah",
        "Silva",
        "Jayasinghe",
        "Kanagaratnam",
    ],
    languages: &[("ta", 0.8)],
};

pub(crate) const CHINESE: NamePool = NamePool {
    origin: "chinese",
    female: &[
        "Mei", "Li Na", "Xiaoling", "Yan", "Jing", "Hui", "Ying", "Wing", "Siu Man", "Jia", "Xin",
        "Ling",
    ],
    male: &[
        "Wei", "Jun", "Hao", "Ming", "Lei", "Chen", "Kai", "Jian", "Ka Wai", "Yong", "Bo", "Tao",
    ],
    surnames: &[
        "Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Chan",
        "Wong", "Lam", "Cheung", "Lau", "Ng",
    ],
    languages: &[("zh", 0.85)],
};

pub(crate) const VIETNAMESE: NamePool = NamePool {
    origin: "vietnamese",
    female: &[
        "Linh", "Huong", "Lan", "Mai", "Thao", "Trang", "Ngoc", "Hoa",
    ],
    male: &[
        "Minh", "Duc", "Tuan", "Hung", "Quang", "Nam", "Thanh", "Long",
    ],
    surnames: &[
        "Nguyen", "Tran", "Le", "Pham", "Hoang", "Phan", "Vu", "Dang", "Bui", "Do",
    ],
    languages: &[("vi", 0.85)],
};

pub(crate) const FILIPINO: NamePool = NamePool {
    origin: "filipino",
    female: &[
        "Maria Clara",
        "Joy",
        "Cherry",
        "Rowena",
        "Marivic",
        "Analyn",
        "Jocelyn",
        "Kristine",
        "Precious",
        "Lovely",
    ],
    male: &[
        "Jose",
        "Mark Anthony",
        "Ramon",
        "Rodel",
        "Jun",
        "Ariel",
        "Christian",
        "Noel",
        "Reynaldo",
        "Jerome",
    ],
    surnames: &[
        "Santos",
        "Reyes",
        "Cruz",
        "Bautista",
        "Garcia",
        "Mendoza",
        "Dela Cruz",
        "Villanueva",
        "Ramos",
        "Aquino",
        "Castillo",
        "Manalo",
    ],
    languages: &[("tl", 0.85)],
};

pub(crate) const ARAB: NamePool = NamePool {
    origin: "arab",
    female: &[
        "Layla", "Noor", "Yasmin", "Rania", "Huda", "Mariam", "Salma", "Lina", "Dalia", "Amal",
    ],
    male: &[
        "Omar", "Khalid", "Ahmad", "Youssef", "Karim", "Sami", "Tariq", "Hassan", "Walid",
        "Ibrahim",
    ],
    surnames: &[
        "Al-Sayed", "Haddad", "Khalil", "Nasser", "Mansour", "Saleh", "Hamdan", "Abboud",
        "Darwish", "El-Amin", "Farouk", "Aziz",
    ],
    languages: &[("ar", 0.95), ("fr", 0.1)],
};

pub(crate) const ROMA: NamePool = NamePool {
    origin: "roma",
    female: &[
        "Florica",
        "Esmeralda",
        "Mirela",
        "Violeta",
        "Loredana",
        "Ramona",
    ],
    male: &["Ion", "Costel", "Marius", "Nicu", "Dragos", "Fanel"],
    surnames: &[
        "Stoica",
        "Lăcătuș",
        "Ciuraru",
        "Dinu",
        "Baloga",
        "Horvath",
        "Lakatos",
        "Kalderash",
    ],
    languages: &[("ro", 0.7)],
};

/// Name origins for a census ethnicity slug, with weights. `None` for an unknown slug.
pub(crate) fn origins_for(ethnicity: &str) -> &'static [(NamePool, f64)] {
    match ethnicity {
        "white_british" => &[(ENGLISH, 0.95), (IRISH, 0.05)],
        "white_irish" | "white_gypsy_or_irish_traveller" => &[(IRISH, 1.0)],
        "white_roma" => &[(ROMA, 1.0)],
        "white_other" => &[
            (POLISH, 0.22),
            (PORTUGUESE, 0.15),
            (SPANISH, 0.12),
            (ITALIAN, 0.12),
            (FRENCH, 0.08),
            (ROMANIAN, 0.1),
            (LITHUANIAN, 0.07),
            (GREEK, 0.06),
            (TURKISH, 0.04),
            (ENGLISH, 0.04),
        ],
        "black_african" => &[
            (NIGERIAN, 0.5),
            (GHANAIAN, 0.18),
            (SOMALI, 0.1),
            (SIERRA_LEONEAN, 0.1),
            (EAST_AFRICAN, 0.06),
            (CONGOLESE, 0.06),
        ],
        "black_caribbean" => &[(CARIBBEAN, 1.0)],
        "black_other" => &[
            (CARIBBEAN, 0.5),
            (NIGERIAN, 0.3),
            (GHANAIAN, 0.1),
            (ENGLISH, 0.1),
        ],
        "asian_bangladeshi" => &[(BANGLADESHI, 1.0)],
        "asian_chinese" => &[(CHINESE, 1.0)],
        "asian_indian" => &[(INDIAN, 1.0)],
        "asian_pakistani" => &[(PAKISTANI, 1.0)],
        "asian_other" => &[(SRI_LANKAN, 0.35), (VIETNAMESE, 0.3), (FILIPINO, 0.35)],
        "mixed_white_and_black_caribbean" => &[(CARIBBEAN, 0.5), (ENGLISH, 0.5)],
        "mixed_white_and_black_african" => &[(NIGERIAN, 0.35), (GHANAIAN, 0.15), (ENGLISH, 0.5)],
        "mixed_white_and_asian" => &[(ENGLISH, 0.5), (INDIAN, 0.25), (CHINESE, 0.25)],
        "mixed_other" => &[
            (ENGLISH, 0.35),
            (LATIN_AMERICAN, 0.2),
            (CARIBBEAN, 0.15),
            (PORTUGUESE, 0.1),
            (ARAB, 0.1),
            (FILIPINO, 0.1),
        ],
        "other_arab" => &[(ARAB, 1.0)],
        _ => &[
            (LATIN_AMERICAN, 0.5),
            (KURDISH, 0.2),
            (TURKISH, 0.15),
            (FILIPINO, 0.1),
            (ENGLISH, 0.05),
        ],
    }
}

/// Lower-case ASCII for an email local part: accents folded, apostrophes and
/// spaces dropped, anything else that is not a letter or digit becomes a hyphen.
pub(crate) fn email_part(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        let folded: &str = match c {
            'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' | 'ą' | 'ă' | 'Á' | 'À' | 'Â' | 'Ä' | 'Ã' | 'Ą'
            | 'Ă' => "a",
            'é' | 'è' | 'ê' | 'ë' | 'ę' | 'É' | 'È' | 'Ê' | 'Ë' | 'Ę' => "e",
            'í' | 'ì' | 'î' | 'ï' | 'ı' | 'Í' | 'Ì' | 'Î' | 'Ï' | 'İ' => "i",
            'ó' | 'ò' | 'ô' | 'ö' | 'õ' | 'Ó' | 'Ò' | 'Ô' | 'Ö' | 'Õ' => "o",
            'ú' | 'ù' | 'û' | 'ü' | 'ū' | 'Ú' | 'Ù' | 'Û' | 'Ü' | 'Ū' => "u",
            'ç' | 'ć' | 'č' | 'Ç' | 'Ć' | 'Č' => "c",
            'ñ' | 'ń' | 'Ñ' | 'Ń' => "n",
            'ł' | 'Ł' => "l",
            'ś' | 'š' | 'ş' | 'ș' | 'Ś' | 'Š' | 'Ş' | 'Ș' => "s",
            'ź' | 'ż' | 'ž' | 'Ź' | 'Ż' | 'Ž' => "z",
            'ğ' | 'Ğ' => "g",
            'ț' | 'Ț' => "t",
            'ė' | 'Ė' => "e",
            '\'' | '’' | ' ' => "",
            c if c.is_ascii_alphanumeric() => {
                out.push(c.to_ascii_lowercase());
                continue;
            }
            _ => "-",
        };
        out.push_str(folded);
    }
    out.trim_matches('-').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_parts_are_plain_ascii() {
        assert_eq!(email_part("Siobhán"), "siobhan");
        assert_eq!(email_part("O'Sullivan"), "osullivan");
        assert_eq!(email_part("Łukasz"), "lukasz");
        assert_eq!(email_part("Dela Cruz"), "delacruz");
        assert_eq!(email_part("Jean-Pierre"), "jean-pierre");
        assert_eq!(email_part("Yılmaz"), "yilmaz");
        assert_eq!(email_part("Hêvî"), "hevi");
    }

    #[test]
    fn every_name_folds_to_a_usable_email_part() {
        let pools = [
            ENGLISH,
            IRISH,
            POLISH,
            PORTUGUESE,
            SPANISH,
            LATIN_AMERICAN,
            ITALIAN,
            FRENCH,
            ROMANIAN,
            LITHUANIAN,
            GREEK,
            TURKISH,
            KURDISH,
            NIGERIAN,
            GHANAIAN,
            SOMALI,
            SIERRA_LEONEAN,
            EAST_AFRICAN,
            CONGOLESE,
            CARIBBEAN,
            BANGLADESHI,
            INDIAN,
            PAKISTANI,
            SRI_LANKAN,
            CHINESE,
            VIETNAMESE,
            FILIPINO,
            ARAB,
            ROMA,
        ];
        for p in pools {
            for n in p.female.iter().chain(p.male).chain(p.surnames) {
                let e = email_part(n);
                assert!(
                    !e.is_empty() && e.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                    "{n} -> {e}"
                );
            }
        }
    }
}
