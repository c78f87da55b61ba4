//! What the demo says: role templates, kinds of organisation, Southwark places,
//! estates, parks and the sentences role descriptions are built from.

/// A kind of volunteer role an organisation might post.
pub(crate) struct RoleTemplate {
    pub key: &'static str,
    /// Title and one-line summary pairs.
    pub variants: &'static [(&'static str, &'static str)],
    /// "What you'll do" bullets; 3–5 are picked.
    pub duties: &'static [&'static str],
    /// "What you need" bullets; 1–2 are picked.
    pub needs: &'static [&'static str],
    /// Causes: the first always applies, up to two more are picked.
    pub causes: &'static [&'static str],
    /// Skills wanted with the minimum level: the first always, up to three more.
    pub skills: &'static [(&'static str, i32)],
    /// Minimum ages with weights; 14 means the role is youth-friendly.
    pub min_age: &'static [(i32, f64)],
    /// Chance the role needs a DBS check (never for youth-friendly roles).
    pub dbs: f64,
    /// Weights of one_off, regular, flexible.
    pub commitment: [f64; 3],
    /// Weights of in_person, remote, hybrid.
    pub location: [f64; 3],
    pub places: (i32, i32),
    pub hours: (i32, i32),
    /// Usual session start hour (local) and length in hours.
    pub times: &'static [(u8, u8)],
    /// Usual weekdays, 0 = Monday.
    pub days: &'static [u8],
}

const WEEKDAYS: &[u8] = &[0, 1, 2, 3, 4];
const ANY_DAY: &[u8] = &[0, 1, 2, 3, 4, 5, 6];
const WEEKEND: &[u8] = &[5, 6];
const MOSTLY_SATURDAY: &[u8] = &[5, 5, 5, 6, 2];

pub(crate) const ROLE_TEMPLATES: &[RoleTemplate] = &[
    RoleTemplate {
        key: "food-hub-packer",
        variants: &[
            (
                "Food hub packer",
                "Sort donations and pack food parcels for local families at our busy weekly food hub.",
            ),
            (
                "Food bank volunteer – sorting and packing",
                "Join a friendly team packing emergency food parcels for neighbours in crisis.",
            ),
            (
                "Saturday food hub packer",
                "Pack and hand out food parcels at our Saturday morning food hub.",
            ),
            (
                "Community pantry assistant",
                "Help run our community pantry: unpack deliveries, stock shelves and welcome members.",
            ),
            (
                "Food hub volunteer",
                "Help our food hub run smoothly: sorting, packing, welcoming and tidying up.",
            ),
        ],
        duties: &[
            "Unpack and sort donated food, checking dates",
            "Pack parcels to our shopping lists, including halal, vegetarian and baby food",
            "Welcome members and help them choose items",
            "Keep the store room tidy and rotate stock",
            "Help set up tables in the morning and pack down at the end",
            "Record the number of households served",
        ],
        needs: &[
            "Able to lift boxes of up to 10 kg (there is seated work too)",
            "A friendly, non-judgemental manner",
            "Reliable: our members are counting on the parcels",
        ],
        causes: &["food-poverty", "crisis-support", "community-development"],
        skills: &[
            ("warehouse-and-stock", 0),
            ("teamwork", 3),
            ("food-hygiene", 0),
            ("customer-service", 2),
        ],
        min_age: &[(16, 0.8), (18, 0.2)],
        dbs: 0.0,
        commitment: [0.2, 0.7, 0.1],
        location: [1.0, 0.0, 0.0],
        places: (4, 20),
        hours: (2, 4),
        times: &[(9, 3), (10, 3), (13, 3), (17, 2)],
        days: MOSTLY_SATURDAY,
    },
    RoleTemplate {
        key: "delivery-driver",
        variants: &[
            (
                "Delivery driver",
                "Deliver food parcels to people who are housebound or shielding across Southwark.",
            ),
            (
                "Food parcel delivery driver",
                "Take food parcels from our hub to families who can't collect them.",
            ),
            (
                "Volunteer van driver",
                "Drive our van on a delivery round to older and disabled residents.",
            ),
            (
                "Home delivery driver (own car)",
                "Use your car to get food and essentials to neighbours who can't get out.",
            ),
        ],
        duties: &[
            "Collect parcels from the hub and plan your route",
            "Deliver to 8–12 households, with a friendly word on the doorstep",
            "Let the coordinator know if anyone seems unwell or in need",
            "Return the van, keys and delivery sheet at the end of the round",
        ],
        needs: &[
            "A full UK driving licence held for at least two years",
            "Confidence driving in central London",
            "Business use on your insurance if using your own car (we reimburse mileage)",
        ],
        causes: &["food-poverty", "older-people", "crisis-support"],
        skills: &[
            ("driving", 5),
            ("customer-service", 2),
            ("problem-solving", 3),
        ],
        min_age: &[(21, 0.6), (18, 0.4)],
        dbs: 0.4,
        commitment: [0.1, 0.7, 0.2],
        location: [1.0, 0.0, 0.0],
        places: (2, 10),
        hours: (2, 5),
        times: &[(10, 3), (13, 3)],
        days: WEEKDAYS,
    },
    RoleTemplate {
        key: "phone-befriender",
        variants: &[
            (
                "Telephone befriender",
                "Make a weekly friendly phone call to an older person who lives alone.",
            ),
            (
                "Befriending call volunteer",
                "Be a regular voice on the phone for someone who feels isolated.",
            ),
            (
                "Phone friend for an older neighbour",
                "Chat on the phone once a week with an older neighbour who would love the company.",
            ),
            (
                "Check-in caller",
                "Call our members for a chat and check they have what they need.",
            ),
        ],
        duties: &[
            "Call your matched friend at the same time each week",
            "Chat about whatever they enjoy: family, football, the old days",
            "Notice if something is wrong and tell our coordinator",
            "Keep a short note of each call on our secure system",
            "Join a monthly online catch-up with other befrienders",
        ],
        needs: &[
            "A phone and a quiet place to call from",
            "Patience and a warm, good listener",
            "Commitment for at least six months",
        ],
        causes: &["older-people", "mental-health", "health-and-social-care"],
        skills: &[
            ("befriending", 2),
            ("listening", 5),
            ("speaking", 4),
            ("staying-positive", 3),
        ],
        min_age: &[(18, 1.0)],
        dbs: 0.7,
        commitment: [0.0, 0.9, 0.1],
        location: [0.05, 0.85, 0.1],
        places: (5, 20),
        hours: (1, 2),
        times: &[(10, 1), (14, 1), (18, 1)],
        days: ANY_DAY,
    },
    RoleTemplate {
        key: "home-befriender",
        variants: &[
            (
                "Befriender (home visits)",
                "Visit an older person at home each week for a cup of tea, a chat or a walk.",
            ),
            (
                "Befriending volunteer – visiting an older person at home",
                "Spend an hour or two a week with someone who would love the company.",
            ),
            (
                "Good neighbour visitor",
                "Be a regular friendly face for a neighbour who rarely gets out.",
            ),
            (
                "Befriender for a person with dementia",
                "Visit someone living with dementia each week and help them keep doing the things they enjoy.",
            ),
        ],
        duties: &[
            "Visit your matched friend once a week at a time that suits you both",
            "Chat, play cards, look at photos, or go out for a coffee or a short walk",
            "Help them stay in touch with local groups and activities",
            "Tell our coordinator about any worries",
            "Come to our quarterly volunteer get-togethers",
        ],
        needs: &[
            "Patience and reliability",
            "Commitment for at least six months",
            "Living within easy reach of the person you visit",
        ],
        causes: &["older-people", "mental-health", "health-and-social-care"],
        skills: &[
            ("befriending", 3),
            ("listening", 5),
            ("speaking", 4),
            ("staying-positive", 3),
        ],
        min_age: &[(18, 1.0)],
        dbs: 0.95,
        commitment: [0.0, 0.95, 0.05],
        location: [1.0, 0.0, 0.0],
        places: (3, 15),
        hours: (1, 3),
        times: &[(10, 2), (14, 2), (15, 2)],
        days: ANY_DAY,
    },
    RoleTemplate {
        key: "lunch-club",
        variants: &[
            (
                "Lunch club helper",
                "Help serve a hot two-course lunch to older neighbours and stay for a chat.",
            ),
            (
                "Community lunch volunteer",
                "Cook, serve and wash up at our weekly community lunch.",
            ),
            (
                "Tea and chat host",
                "Host our tea and chat afternoon: make the tea, lay out the biscuits, welcome everyone.",
            ),
            (
                "Friday lunch club cook",
                "Cook a simple hot lunch for 30 older regulars every Friday.",
            ),
        ],
        duties: &[
            "Set up tables and welcome guests as they arrive",
            "Help the cook prepare and serve the meal",
            "Sit and chat with guests, especially newcomers",
            "Wash up and tidy the hall",
            "Help with bingo, quizzes and the occasional singalong",
        ],
        needs: &[
            "A warm welcome for everyone",
            "Food hygiene training, or willingness to do our free course",
        ],
        causes: &["older-people", "food-poverty", "community-development"],
        skills: &[
            ("cooking", 2),
            ("food-hygiene", 0),
            ("customer-service", 2),
            ("teamwork", 3),
        ],
        min_age: &[(16, 0.7), (18, 0.3)],
        dbs: 0.1,
        commitment: [0.1, 0.8, 0.1],
        location: [1.0, 0.0, 0.0],
        places: (2, 10),
        hours: (3, 4),
        times: &[(11, 3), (12, 3), (14, 2)],
        days: WEEKDAYS,
    },
    RoleTemplate {
        key: "youth-mentor",
        variants: &[
            (
                "Youth mentor",
                "Meet a young person every week and help them plan their next steps.",
            ),
            (
                "Mentor for a young person (14–18)",
                "Support a teenager to build confidence, set goals and stay in education.",
            ),
            (
                "Care leavers mentor",
                "Be a trusted adult for a young person leaving care.",
            ),
            (
                "Peer mentor",
                "Use your own experience to encourage a young person going through what you went through.",
            ),
        ],
        duties: &[
            "Meet your mentee weekly at our centre or somewhere public",
            "Help them set goals and work out the steps to get there",
            "Support with college applications, CVs and work experience",
            "Listen, encourage and celebrate progress",
            "Record sessions and attend supervision every six weeks",
        ],
        needs: &[
            "Commitment for at least a year",
            "Good listening skills and patience",
            "Completion of our two-day mentoring training",
        ],
        causes: &[
            "children-and-young-people",
            "employment-and-skills",
            "education-and-literacy",
        ],
        skills: &[
            ("mentoring", 3),
            ("listening", 6),
            ("leadership", 5),
            ("aiming-high", 5),
        ],
        min_age: &[(18, 0.7), (21, 0.3)],
        dbs: 1.0,
        commitment: [0.0, 1.0, 0.0],
        location: [0.75, 0.1, 0.15],
        places: (3, 15),
        hours: (1, 2),
        times: &[(16, 1), (17, 2), (18, 1)],
        days: WEEKDAYS,
    },
    RoleTemplate {
        key: "homework-club",
        variants: &[
            (
                "Homework club helper",
                "Help children with homework and reading at our after-school club.",
            ),
            (
                "Reading volunteer",
                "Listen to primary school children read and share a love of books.",
            ),
            (
                "Maths tutor for Years 7–9",
                "Support secondary pupils with maths in small groups.",
            ),
            (
                "After-school club volunteer",
                "Help run homework, games and snacks at our after-school club.",
            ),
            (
                "Reading buddy",
                "Read one-to-one with a child each week and help them grow in confidence.",
            ),
        ],
        duties: &[
            "Support children one-to-one or in small groups with homework",
            "Listen to children read and talk about the story",
            "Play educational games and help with projects",
            "Help set up snacks and tidy away",
            "Share any concerns with the club lead straight away",
        ],
        needs: &[
            "Confident English and maths at GCSE level or equivalent",
            "Available in term time",
            "Patience and encouragement",
        ],
        causes: &["education-and-literacy", "children-and-young-people"],
        skills: &[
            ("english", 4),
            ("maths", 4),
            ("listening", 5),
            ("mentoring", 2),
        ],
        min_age: &[(18, 0.8), (16, 0.2)],
        dbs: 1.0,
        commitment: [0.0, 0.9, 0.1],
        location: [0.85, 0.1, 0.05],
        places: (3, 12),
        hours: (2, 3),
        times: &[(15, 2), (16, 2)],
        days: WEEKDAYS,
    },
    RoleTemplate {
        key: "youth-club-assistant",
        variants: &[
            (
                "Youth club assistant",
                "Help our youth workers run evening sessions for 11–18-year-olds.",
            ),
            (
                "Youth work volunteer",
                "Support our youth workers with sport, cooking and music sessions.",
            ),
            (
                "Holiday club volunteer",
                "Run games, sport and art at our summer holiday club.",
            ),
            (
                "Adventure playground volunteer",
                "Support play sessions at our adventure playground.",
            ),
        ],
        duties: &[
            "Help plan and run activities: sport, cooking, music, games",
            "Chat with young people and be a positive role model",
            "Help with trips and residentials",
            "Follow our safeguarding procedures",
        ],
        needs: &[
            "Energy, humour and reliability",
            "Experience with young people is helpful, not essential",
        ],
        causes: &[
            "children-and-young-people",
            "sport-and-recreation",
            "arts-and-culture",
        ],
        skills: &[
            ("teamwork", 4),
            ("leadership", 4),
            ("sports-coaching", 2),
            ("creativity", 4),
        ],
        min_age: &[(18, 1.0)],
        dbs: 1.0,
        commitment: [0.2, 0.7, 0.1],
        location: [1.0, 0.0, 0.0],
        places: (2, 10),
        hours: (2, 4),
        times: &[(17, 3), (18, 3), (10, 5)],
        days: WEEKDAYS,
    },
    RoleTemplate {
        key: "young-leader",
        variants: &[
            (
                "Young leader (14–17)",
                "A first volunteering role for young people: help run activities for younger children.",
            ),
            (
                "Junior volunteer",
                "Build your confidence and skills by helping at our sessions, with an adult alongside.",
            ),
            (
                "Young volunteer – helping at our play sessions",
                "Help younger children enjoy our play sessions and learn to lead games yourself.",
            ),
            (
                "Youth ambassador",
                "Represent young people's views and help plan our events.",
            ),
        ],
        duties: &[
            "Help younger children with games and activities",
            "Set up equipment and look after the space",
            "Share your ideas for new activities",
            "Work alongside an experienced adult volunteer",
            "Log your hours toward your Duke of Edinburgh's Award",
        ],
        needs: &[
            "Consent from a parent or carer if you are under 16",
            "Enthusiasm: no experience needed",
        ],
        causes: &[
            "children-and-young-people",
            "sport-and-recreation",
            "community-development",
        ],
        skills: &[
            ("teamwork", 2),
            ("leadership", 1),
            ("speaking", 2),
            ("creativity", 2),
        ],
        min_age: &[(14, 1.0)],
        dbs: 0.0,
        commitment: [0.2, 0.7, 0.1],
        location: [1.0, 0.0, 0.0],
        places: (2, 12),
        hours: (2, 3),
        times: &[(10, 3), (16, 2)],
        days: &[5, 6, 2, 3],
    },
    RoleTemplate {
        key: "digital-helper",
        variants: &[
            (
                "Digital skills helper",
                "Help people get online: email, video calls, booking GP appointments, Universal Credit.",
            ),
            (
                "Digital champion",
                "Be a digital champion: patient one-to-one help with computers and phones.",
            ),
            (
                "Tech help drop-in volunteer",
                "Run a friendly tech drop-in for residents who are new to smartphones and tablets.",
            ),
            (
                "Smartphone helper for older people",
                "Show older residents how to video-call family, use the NHS App and stay safe online.",
            ),
            (
                "Online forms helper",
                "Help people fill in online forms for benefits, housing and jobs.",
            ),
        ],
        duties: &[
            "Help people set up email, WhatsApp and video calls",
            "Show how to use the NHS App, online banking and council services safely",
            "Help with online forms and job searches",
            "Explain how to spot scams",
            "Keep a simple record of who you helped",
        ],
        needs: &[
            "Confident with smartphones, tablets and laptops",
            "Patient explanations without jargon",
        ],
        causes: &["digital-inclusion", "older-people", "employment-and-skills"],
        skills: &[
            ("digital", 4),
            ("listening", 4),
            ("problem-solving", 4),
            ("customer-service", 2),
        ],
        min_age: &[(16, 0.5), (18, 0.3), (14, 0.2)],
        dbs: 0.1,
        commitment: [0.15, 0.7, 0.15],
        location: [0.75, 0.1, 0.15],
        places: (2, 10),
        hours: (2, 3),
        times: &[(10, 2), (14, 2), (17, 2)],
        days: ANY_DAY,
    },
    RoleTemplate {
        key: "community-garden",
        variants: &[
            (
                "Community gardener",
                "Grow vegetables and flowers with neighbours in our community garden.",
            ),
            (
                "Garden volunteer",
                "Help look after our growing space: planting, weeding, watering, harvesting.",
            ),
            (
                "Growing project volunteer",
                "Join our Saturday gardening crew; no experience needed.",
            ),
            (
                "Food growing volunteer",
                "Grow fruit and veg that goes straight to the local food hub.",
            ),
        ],
        duties: &[
            "Plant, weed, water and harvest",
            "Build and repair raised beds",
            "Help run the compost and wormery",
            "Share produce with the food hub",
            "Welcome visitors and school groups",
        ],
        needs: &[
            "Happy to work outdoors in most weathers",
            "Gloves and tools provided",
        ],
        causes: &[
            "environment-and-conservation",
            "food-poverty",
            "mental-health",
        ],
        skills: &[("gardening", 1), ("teamwork", 2), ("staying-positive", 2)],
        min_age: &[(14, 0.5), (16, 0.3), (18, 0.2)],
        dbs: 0.0,
        commitment: [0.3, 0.6, 0.1],
        location: [1.0, 0.0, 0.0],
        places: (4, 20),
        hours: (2, 4),
        times: &[(10, 3), (13, 3)],
        days: &[5, 6, 2, 3],
    },
    RoleTemplate {
        key: "park-cleanup",
        variants: &[
            (
                "Park clean-up volunteer",
                "Join a monthly clean-up and help keep our park clean and green.",
            ),
            (
                "Litter pick volunteer",
                "Join a friendly litter pick and make a visible difference in an hour or two.",
            ),
            (
                "Conservation volunteer",
                "Help care for woodland and wildlife habitats: coppicing, planting, path clearing.",
            ),
            (
                "Tree planting day volunteer",
                "Plant trees with neighbours on our winter planting day.",
            ),
            (
                "Pond dipping and habitat volunteer",
                "Help look after our pond and meadow and show visiting children what lives there.",
            ),
        ],
        duties: &[
            "Litter picking and sorting the recycling",
            "Clearing brambles and invasive plants",
            "Planting trees, bulbs and hedges",
            "Building bug hotels and bird boxes",
            "Talking to park users about the project",
        ],
        needs: &[
            "Sturdy shoes and clothes that can get muddy",
            "Tools, gloves and hi-vis provided",
        ],
        causes: &["environment-and-conservation", "community-development"],
        skills: &[("teamwork", 2), ("gardening", 0), ("staying-positive", 2)],
        min_age: &[(14, 0.7), (16, 0.3)],
        dbs: 0.0,
        commitment: [0.6, 0.3, 0.1],
        location: [1.0, 0.0, 0.0],
        places: (5, 20),
        hours: (2, 4),
        times: &[(10, 3), (11, 2)],
        days: WEEKEND,
    },
    RoleTemplate {
        key: "advice-assistant",
        variants: &[
            (
                "Benefits advice assistant",
                "Help residents with benefits claims, forms and letters, with full training.",
            ),
            (
                "Advice centre gateway assessor",
                "Be the first point of contact at our advice drop-in, finding out what people need.",
            ),
            (
                "Form-filling helper",
                "Help people complete benefit, housing and Blue Badge forms.",
            ),
            (
                "Universal Credit helper",
                "Help people make and manage Universal Credit claims online.",
            ),
            (
                "Debt advice volunteer",
                "Support people to manage debts and stay in their homes.",
            ),
        ],
        duties: &[
            "Listen to people's situation and find out what help they need",
            "Help fill in benefit forms, PIP and Universal Credit claims",
            "Signpost to specialist advice, the council and local services",
            "Keep accurate case notes on our database",
            "Take part in training and supervision",
        ],
        needs: &[
            "Good written English and attention to detail",
            "Six hours a week for at least six months",
            "Completion of our training programme",
        ],
        causes: &[
            "advice-and-advocacy",
            "crisis-support",
            "employment-and-skills",
        ],
        skills: &[
            ("advice-and-guidance", 3),
            ("listening", 6),
            ("english", 4),
            ("digital", 3),
            ("problem-solving", 5),
        ],
        min_age: &[(18, 1.0)],
        dbs: 0.1,
        commitment: [0.0, 0.9, 0.1],
        location: [0.7, 0.1, 0.2],
        places: (2, 8),
        hours: (3, 7),
        times: &[(9, 4), (10, 3), (13, 3)],
        days: WEEKDAYS,
    },
    RoleTemplate {
        key: "reception",
        variants: &[
            (
                "Reception volunteer",
                "Welcome visitors to the hub, answer the phone and point people to the right help.",
            ),
            (
                "Front desk and welcome volunteer",
                "Be the friendly first face people see when they come to the centre.",
            ),
            (
                "Admin assistant",
                "Help keep our small office running: filing, emails, phones and post.",
            ),
            (
                "Office volunteer",
                "Help with mailings, bookings and keeping our records up to date.",
            ),
            (
                "Hub welcome host",
                "Greet people at the hub, make them a cuppa and help them find what they came for.",
            ),
        ],
        duties: &[
            "Greet visitors and sign them in",
            "Answer the phone and take messages",
            "Keep the noticeboards and leaflets up to date",
            "Book rooms and keep the diary",
            "Help with mailings and filing",
        ],
        needs: &["Friendly and organised", "Basic computer skills"],
        causes: &[
            "community-development",
            "health-and-social-care",
            "advice-and-advocacy",
        ],
        skills: &[
            ("admin", 2),
            ("customer-service", 3),
            ("data-entry", 2),
            ("speaking", 3),
        ],
        min_age: &[(16, 0.6), (18, 0.4)],
        dbs: 0.05,
        commitment: [0.0, 0.85, 0.15],
        location: [0.85, 0.05, 0.1],
        places: (1, 5),
        hours: (3, 7),
        times: &[(9, 4), (13, 4)],
        days: WEEKDAYS,
    },
    RoleTemplate {
        key: "event-steward",
        variants: &[
            (
                "Event steward",
                "Help keep our summer fun day safe and enjoyable for thousands of local families.",
            ),
            (
                "Fun day volunteer",
                "Run games, stalls and the raffle at our community fun day.",
            ),
            (
                "Festival helper",
                "Join the crew at our festival: set-up, stewarding, information point.",
            ),
            (
                "Community event crew",
                "Help set up, run and clear up our community events through the year.",
            ),
            (
                "Christmas party helper",
                "Help put on our Christmas party for older residents and families.",
            ),
        ],
        duties: &[
            "Help set up gazebos, tables and signs",
            "Steward entrances and keep walkways clear",
            "Run a stall, game or the information point",
            "Count visitors and hand out feedback forms",
            "Help clear up at the end of the day",
        ],
        needs: &[
            "On your feet for a few hours (seated roles available)",
            "A smile and a sense of humour",
        ],
        causes: &[
            "community-development",
            "arts-and-culture",
            "sport-and-recreation",
        ],
        skills: &[
            ("teamwork", 2),
            ("customer-service", 2),
            ("first-aid", 0),
            ("event-planning", 2),
        ],
        min_age: &[(16, 0.6), (14, 0.2), (18, 0.2)],
        dbs: 0.0,
        commitment: [0.85, 0.0, 0.15],
        location: [1.0, 0.0, 0.0],
        places: (6, 20),
        hours: (4, 8),
        times: &[(10, 6), (11, 5), (12, 4)],
        days: WEEKEND,
    },
    RoleTemplate {
        key: "esol-conversation",
        variants: &[
            (
                "ESOL conversation club volunteer",
                "Help adults practise everyday English in a relaxed weekly conversation club.",
            ),
            (
                "English conversation partner",
                "Chat with newcomers learning English over tea and cake.",
            ),
            (
                "ESOL classroom assistant",
                "Support an ESOL teacher in class with small-group speaking practice.",
            ),
            (
                "Conversation café host",
                "Host a friendly table at our conversation café for people learning English.",
            ),
        ],
        duties: &[
            "Lead small-group conversations on everyday topics",
            "Help learners practise for job interviews and GP appointments",
            "Support the teacher with activities and materials",
            "Encourage quieter learners to join in",
        ],
        needs: &[
            "Fluent spoken English",
            "Patience and respect for people from all backgrounds",
            "No teaching qualification needed – just patience and clear speech",
        ],
        causes: &[
            "education-and-literacy",
            "refugees-and-asylum-seekers",
            "community-development",
        ],
        skills: &[
            ("english", 5),
            ("speaking", 5),
            ("listening", 5),
            ("translation-interpreting", 0),
        ],
        min_age: &[(18, 0.8), (16, 0.2)],
        dbs: 0.05,
        commitment: [0.0, 0.9, 0.1],
        location: [0.8, 0.1, 0.1],
        places: (2, 10),
        hours: (2, 2),
        times: &[(10, 2), (13, 2), (18, 2)],
        days: WEEKDAYS,
    },
    RoleTemplate {
        key: "warehouse",
        variants: &[
            (
                "Warehouse volunteer",
                "Receive, sort and stack food and household donations in our warehouse.",
            ),
            (
                "Stock and logistics volunteer",
                "Keep our stock moving: check in deliveries and pick orders for partner hubs.",
            ),
            (
                "Donations sorter",
                "Sort donated clothes, toys and household goods for families in need.",
            ),
            (
                "Warehouse team leader",
                "Lead a small team of volunteers on our warehouse shifts.",
            ),
        ],
        duties: &[
            "Check in deliveries and weigh donations",
            "Sort stock by type and date and rotate shelves",
            "Pick and pack orders for partner food hubs",
            "Load vans and keep the warehouse safe and tidy",
        ],
        needs: &[
            "Able to lift and carry (safe lifting training given)",
            "Steel-toe boots provided for warehouse shifts",
        ],
        causes: &[
            "food-poverty",
            "crisis-support",
            "environment-and-conservation",
        ],
        skills: &[
            ("warehouse-and-stock", 2),
            ("teamwork", 3),
            ("data-entry", 1),
            ("leadership", 3),
        ],
        min_age: &[(16, 0.6), (18, 0.4)],
        dbs: 0.0,
        commitment: [0.15, 0.7, 0.15],
        location: [1.0, 0.0, 0.0],
        places: (3, 15),
        hours: (3, 6),
        times: &[(8, 4), (9, 4), (13, 4)],
        days: WEEKDAYS,
    },
    RoleTemplate {
        key: "fundraiser",
        variants: &[
            (
                "Fundraising volunteer",
                "Help raise the money that keeps our doors open, from bake sales to bucket collections.",
            ),
            (
                "Bucket collection volunteer",
                "Collect donations at stations and supermarkets with a friendly smile.",
            ),
            (
                "Grant writing volunteer",
                "Research and draft grant applications to trusts and foundations.",
            ),
            (
                "Events fundraiser",
                "Plan a sponsored walk, quiz night or gig for us.",
            ),
            (
                "Charity shop volunteer",
                "Sort donations, dress the window and serve customers in our charity shop.",
            ),
        ],
        duties: &[
            "Take part in collections at stations and supermarkets",
            "Research funders and draft applications with our director",
            "Organise fundraising events with our team",
            "Thank donors and keep our records up to date",
        ],
        needs: &[
            "Confidence talking to the public, or writing persuasively",
            "Good organisation",
        ],
        causes: &[
            "community-development",
            "crisis-support",
            "children-and-young-people",
        ],
        skills: &[
            ("fundraising", 2),
            ("speaking", 4),
            ("event-planning", 2),
            ("creativity", 3),
        ],
        min_age: &[(16, 0.6), (18, 0.4)],
        dbs: 0.0,
        commitment: [0.4, 0.3, 0.3],
        location: [0.5, 0.25, 0.25],
        places: (1, 10),
        hours: (2, 5),
        times: &[(10, 3), (18, 2)],
        days: ANY_DAY,
    },
    RoleTemplate {
        key: "social-media",
        variants: &[
            (
                "Social media volunteer",
                "Tell our story online: write posts, take photos and grow our following.",
            ),
            (
                "Newsletter and communications volunteer",
                "Put together our monthly newsletter and keep the website fresh.",
            ),
            (
                "Event photographer",
                "Photograph our events and sessions (with consent) for our reports and socials.",
            ),
            (
                "Website volunteer",
                "Keep our website up to date and easy to use.",
            ),
        ],
        duties: &[
            "Plan and write posts for Instagram, Facebook and X",
            "Take photos and short videos at sessions",
            "Write and send the monthly email newsletter",
            "Update the website and events listings",
        ],
        needs: &[
            "Good writing and an eye for a picture",
            "Your own phone or laptop is helpful",
        ],
        causes: &[
            "community-development",
            "arts-and-culture",
            "digital-inclusion",
        ],
        skills: &[
            ("social-media", 4),
            ("creativity", 5),
            ("digital", 4),
            ("english", 4),
        ],
        min_age: &[(16, 0.7), (18, 0.3)],
        dbs: 0.0,
        commitment: [0.1, 0.5, 0.4],
        location: [0.25, 0.45, 0.3],
        places: (1, 3),
        hours: (2, 4),
        times: &[(10, 2), (18, 2)],
        days: ANY_DAY,
    },
    RoleTemplate {
        key: "trustee",
        variants: &[
            (
                "Trustee",
                "Join our board and help steer a small local charity through a busy few years.",
            ),
            (
                "Treasurer (trustee)",
                "Look after our finances as treasurer, with support from our bookkeeper.",
            ),
            (
                "Trustee with a legal or HR background",
                "Bring your legal or HR experience to our board.",
            ),
            (
                "Chair of trustees",
                "Lead our board and support our director; we especially welcome local residents.",
            ),
        ],
        duties: &[
            "Attend six board meetings a year (evenings, in person or online)",
            "Help set strategy and monitor progress",
            "Review finances, risks and policies",
            "Support the director and represent the charity locally",
        ],
        needs: &[
            "Interest in our cause and our area",
            "Not disqualified from being a charity trustee",
        ],
        causes: &[
            "community-development",
            "advice-and-advocacy",
            "health-and-social-care",
        ],
        skills: &[
            ("leadership", 8),
            ("aiming-high", 6),
            ("problem-solving", 6),
            ("maths", 4),
        ],
        min_age: &[(18, 1.0)],
        dbs: 0.2,
        commitment: [0.0, 1.0, 0.0],
        location: [0.3, 0.1, 0.6],
        places: (1, 3),
        hours: (1, 2),
        times: &[(18, 2), (19, 2)],
        days: WEEKDAYS,
    },
    RoleTemplate {
        key: "refugee-welcome",
        variants: &[
            (
                "Refugee welcome volunteer",
                "Welcome people seeking sanctuary at our weekly drop-in: food, advice, friendship.",
            ),
            (
                "Community interpreter",
                "Interpret for families at appointments and drop-ins.",
            ),
            (
                "Drop-in host for newcomers",
                "Help newcomers find their way around services, schools and GPs.",
            ),
            (
                "Asylum support caseworker assistant",
                "Help our caseworkers keep track of clients' asylum support and housing.",
            ),
        ],
        duties: &[
            "Welcome guests and serve tea and food",
            "Help people register with a GP, school or college",
            "Interpret at appointments (training provided)",
            "Accompany people to Home Office or housing appointments",
            "Run activities for children at the drop-in",
        ],
        needs: &[
            "Respect for confidentiality",
            "A second language is very welcome, not essential",
        ],
        causes: &[
            "refugees-and-asylum-seekers",
            "advice-and-advocacy",
            "community-development",
        ],
        skills: &[
            ("translation-interpreting", 4),
            ("listening", 5),
            ("befriending", 2),
            ("advice-and-guidance", 2),
        ],
        min_age: &[(18, 1.0)],
        dbs: 0.3,
        commitment: [0.05, 0.8, 0.15],
        location: [0.9, 0.05, 0.05],
        places: (2, 12),
        hours: (2, 4),
        times: &[(10, 3), (13, 3)],
        days: WEEKDAYS,
    },
    RoleTemplate {
        key: "night-shelter",
        variants: &[
            (
                "Night shelter volunteer",
                "Help run our winter night shelter: evening meal, a safe bed, breakfast and a chat.",
            ),
            (
                "Winter shelter host",
                "Welcome guests in the evening and make the church hall feel like home for the night.",
            ),
            (
                "Breakfast volunteer at the shelter",
                "Cook and serve breakfast for guests at our shelter before they head out.",
            ),
            (
                "Street outreach volunteer",
                "Join our outreach team taking food and information to people sleeping rough.",
            ),
        ],
        duties: &[
            "Set up beds and the dining area",
            "Cook or serve the evening meal or breakfast",
            "Chat with guests and make them feel welcome",
            "Stay overnight as a sleeping-in volunteer (optional)",
            "Follow our safety procedures and hand over to the next shift",
        ],
        needs: &[
            "Non-judgemental and calm",
            "Our induction and safeguarding session before your first shift",
        ],
        causes: &["homelessness-and-housing", "crisis-support", "faith"],
        skills: &[
            ("cooking", 2),
            ("customer-service", 2),
            ("staying-positive", 4),
            ("first-aid", 0),
        ],
        min_age: &[(18, 1.0)],
        dbs: 0.3,
        commitment: [0.1, 0.8, 0.1],
        location: [1.0, 0.0, 0.0],
        places: (3, 15),
        hours: (3, 6),
        times: &[(19, 3), (7, 2), (21, 9)],
        days: ANY_DAY,
    },
    RoleTemplate {
        key: "sports-coach",
        variants: &[
            (
                "Football coach assistant",
                "Help coach our junior football teams on weekday evenings and Saturday mornings.",
            ),
            (
                "Walking football organiser",
                "Run a friendly walking football session for over-50s.",
            ),
            (
                "Sports session volunteer",
                "Support our inclusive sports sessions for disabled children and adults.",
            ),
            (
                "Boxing club helper",
                "Help our coaches run boxing fitness sessions for young people.",
            ),
            (
                "Swimming buddy",
                "Go swimming with a disabled young person and help them grow in confidence in the water.",
            ),
        ],
        duties: &[
            "Set up equipment and help run drills and games",
            "Encourage players of every ability",
            "Help with registration and match days",
            "Follow our safeguarding and first aid procedures",
        ],
        needs: &[
            "Love of sport; coaching badges are a bonus",
            "Reliable every week in the season",
        ],
        causes: &[
            "sport-and-recreation",
            "children-and-young-people",
            "disability",
        ],
        skills: &[
            ("sports-coaching", 3),
            ("teamwork", 4),
            ("leadership", 4),
            ("first-aid", 0),
        ],
        min_age: &[(16, 0.4), (18, 0.6)],
        dbs: 0.8,
        commitment: [0.1, 0.85, 0.05],
        location: [1.0, 0.0, 0.0],
        places: (2, 8),
        hours: (2, 4),
        times: &[(10, 2), (17, 2), (18, 2)],
        days: &[1, 3, 5, 6],
    },
    RoleTemplate {
        key: "arts-workshop",
        variants: &[
            (
                "Art workshop assistant",
                "Help run creative workshops for all ages, from printmaking to pottery.",
            ),
            (
                "Craft group helper",
                "Support our weekly craft and natter group for older residents.",
            ),
            (
                "Community choir assistant",
                "Help our choir leader with warm-ups, music and making newcomers welcome.",
            ),
            (
                "Gallery welcome volunteer",
                "Welcome visitors to our community gallery and tell them about the exhibition.",
            ),
            (
                "Sewing circle helper",
                "Help people mend, alter and make clothes at our sewing circle.",
            ),
        ],
        duties: &[
            "Set up materials and help participants with projects",
            "Chat and make everyone feel at home",
            "Help hang exhibitions and staff the front desk",
            "Tidy up and look after equipment",
        ],
        needs: &["Creative and encouraging; no art qualifications needed"],
        causes: &["arts-and-culture", "mental-health", "older-people"],
        skills: &[
            ("arts-and-crafts", 2),
            ("creativity", 4),
            ("music", 0),
            ("customer-service", 2),
        ],
        min_age: &[(16, 0.6), (14, 0.2), (18, 0.2)],
        dbs: 0.1,
        commitment: [0.2, 0.7, 0.1],
        location: [1.0, 0.0, 0.0],
        places: (2, 8),
        hours: (2, 3),
        times: &[(10, 2), (14, 2), (18, 2)],
        days: ANY_DAY,
    },
    RoleTemplate {
        key: "heritage",
        variants: &[
            (
                "Local history archive volunteer",
                "Help catalogue and digitise our collection of photos and documents about local life.",
            ),
            (
                "Heritage tour guide",
                "Lead walking tours telling the stories of our streets, docks and markets.",
            ),
            (
                "Oral history interviewer",
                "Record older residents' memories for our oral history archive.",
            ),
            (
                "Museum volunteer",
                "Welcome visitors and help with events at our small community museum.",
            ),
        ],
        duties: &[
            "Scan, catalogue and describe photos and documents",
            "Research local history for exhibitions and tours",
            "Interview residents and transcribe recordings",
            "Welcome visitors on open days",
        ],
        needs: &[
            "Curiosity and care with fragile material",
            "Good attention to detail",
        ],
        causes: &["heritage", "arts-and-culture", "older-people"],
        skills: &[
            ("data-entry", 2),
            ("listening", 5),
            ("speaking", 4),
            ("creativity", 3),
        ],
        min_age: &[(16, 0.7), (18, 0.3)],
        dbs: 0.05,
        commitment: [0.2, 0.6, 0.2],
        location: [0.6, 0.2, 0.2],
        places: (1, 6),
        hours: (2, 4),
        times: &[(10, 3), (14, 2)],
        days: ANY_DAY,
    },
    RoleTemplate {
        key: "peer-support",
        variants: &[
            (
                "Peer support group co-facilitator",
                "Co-facilitate a weekly peer support group, drawing on your own lived experience.",
            ),
            (
                "Wellbeing walk leader",
                "Lead a gentle weekly walk in the park for people wanting to feel better.",
            ),
            (
                "Mental health peer supporter",
                "Help run our drop-in where people can talk, share and connect.",
            ),
            (
                "Men's group volunteer",
                "Help run a weekly group where men can talk, make things and look out for each other.",
            ),
        ],
        duties: &[
            "Welcome people and help set a supportive tone",
            "Co-facilitate group discussions with a staff member",
            "Lead a 45-minute walk on a set route",
            "Take part in supervision and training",
        ],
        needs: &[
            "Lived experience of mental ill health is valued",
            "Good boundaries and a calm manner",
        ],
        causes: &[
            "mental-health",
            "health-and-social-care",
            "sport-and-recreation",
        ],
        skills: &[
            ("listening", 7),
            ("staying-positive", 6),
            ("befriending", 2),
            ("leadership", 3),
        ],
        min_age: &[(18, 1.0)],
        dbs: 0.2,
        commitment: [0.0, 0.9, 0.1],
        location: [0.75, 0.15, 0.1],
        places: (1, 6),
        hours: (2, 3),
        times: &[(10, 2), (14, 2), (18, 2)],
        days: ANY_DAY,
    },
    RoleTemplate {
        key: "carers-cafe",
        variants: &[
            (
                "Carers' café volunteer",
                "Help run a monthly café where unpaid carers can take a break and meet others.",
            ),
            (
                "Carers' support volunteer",
                "Keep in touch with unpaid carers and point them to the support they are entitled to.",
            ),
            (
                "Respite sitter",
                "Sit with a person with dementia so their carer can have a few hours off.",
            ),
        ],
        duties: &[
            "Set up the café and serve refreshments",
            "Chat with carers and share information about support",
            "Sit with the person being cared for while their carer takes a break",
        ],
        needs: &["Kindness and discretion", "Our dementia awareness training"],
        causes: &["health-and-social-care", "older-people", "disability"],
        skills: &[
            ("befriending", 2),
            ("listening", 5),
            ("cooking", 0),
            ("customer-service", 2),
        ],
        min_age: &[(18, 1.0)],
        dbs: 0.8,
        commitment: [0.1, 0.8, 0.1],
        location: [1.0, 0.0, 0.0],
        places: (2, 8),
        hours: (2, 3),
        times: &[(10, 3), (13, 3)],
        days: WEEKDAYS,
    },
    RoleTemplate {
        key: "disability-support",
        variants: &[
            (
                "Support volunteer for adults with learning disabilities",
                "Support adults with learning disabilities at our weekly social club.",
            ),
            (
                "Accessible cycling volunteer",
                "Help run inclusive cycling sessions on adapted bikes in the park.",
            ),
            (
                "Social club volunteer",
                "Help members of our social club take part in games, music and outings.",
            ),
            (
                "Travel buddy",
                "Travel with a young disabled person to help them gain confidence on buses.",
            ),
        ],
        duties: &[
            "Help members take part in activities they choose",
            "Support with cycling, games, cooking or outings",
            "Be a friendly, respectful presence",
            "Feed back to the session lead",
        ],
        needs: &["Respect and patience", "Our disability awareness induction"],
        causes: &[
            "disability",
            "sport-and-recreation",
            "health-and-social-care",
        ],
        skills: &[
            ("befriending", 2),
            ("teamwork", 3),
            ("staying-positive", 4),
            ("sports-coaching", 0),
        ],
        min_age: &[(18, 0.8), (16, 0.2)],
        dbs: 0.9,
        commitment: [0.1, 0.8, 0.1],
        location: [1.0, 0.0, 0.0],
        places: (2, 10),
        hours: (2, 4),
        times: &[(10, 3), (17, 3)],
        days: ANY_DAY,
    },
    RoleTemplate {
        key: "animal-care",
        variants: &[
            (
                "City farm volunteer",
                "Help feed and care for the animals at our city farm.",
            ),
            (
                "Animal care volunteer",
                "Help look after rescued animals while they wait for new homes.",
            ),
            (
                "Farm education assistant",
                "Support school visits and family days at the farm.",
            ),
        ],
        duties: &[
            "Feed animals and muck out pens",
            "Help with grooming and health checks under supervision",
            "Show visitors around and answer questions",
            "Help in the farm garden",
        ],
        needs: &[
            "Not squeamish about mud and manure",
            "Happy working outdoors",
        ],
        causes: &[
            "animal-welfare",
            "environment-and-conservation",
            "children-and-young-people",
        ],
        skills: &[("teamwork", 2), ("gardening", 1), ("customer-service", 2)],
        min_age: &[(14, 0.4), (16, 0.6)],
        dbs: 0.0,
        commitment: [0.1, 0.8, 0.1],
        location: [1.0, 0.0, 0.0],
        places: (2, 10),
        hours: (3, 4),
        times: &[(8, 3), (9, 4), (13, 3)],
        days: ANY_DAY,
    },
    RoleTemplate {
        key: "employment-coach",
        variants: &[
            (
                "Job club volunteer",
                "Help jobseekers search for work and apply online at our weekly job club.",
            ),
            (
                "CV and interview coach",
                "Help jobseekers write CVs and prepare for interviews.",
            ),
            (
                "Employability mentor",
                "Mentor someone returning to work after a long break.",
            ),
            (
                "Careers talk volunteer",
                "Share your career story with young people at our careers sessions.",
            ),
        ],
        duties: &[
            "Help people write and update CVs and cover letters",
            "Run mock interviews and give encouraging feedback",
            "Show how to search and apply for jobs online",
            "Celebrate every job offer",
        ],
        needs: &[
            "Experience of recruitment or work in any field",
            "Encouraging and practical",
        ],
        causes: &[
            "employment-and-skills",
            "digital-inclusion",
            "children-and-young-people",
        ],
        skills: &[
            ("mentoring", 3),
            ("digital", 3),
            ("english", 4),
            ("speaking", 5),
        ],
        min_age: &[(18, 1.0)],
        dbs: 0.1,
        commitment: [0.1, 0.7, 0.2],
        location: [0.55, 0.2, 0.25],
        places: (1, 8),
        hours: (2, 3),
        times: &[(10, 3), (14, 2), (18, 2)],
        days: WEEKDAYS,
    },
    RoleTemplate {
        key: "repair-cafe",
        variants: &[
            (
                "Repair café fixer",
                "Fix toasters, lamps and clothes at our monthly repair café.",
            ),
            (
                "Bike repair volunteer",
                "Help local people repair their bikes and learn to do it themselves.",
            ),
            (
                "Upcycling workshop helper",
                "Help people turn unwanted furniture and fabric into something new.",
            ),
        ],
        duties: &[
            "Diagnose and repair household items with their owners",
            "Teach simple repairs so people can do it next time",
            "Help with PAT testing and safety checks",
            "Record what was repaired and what went to landfill",
        ],
        needs: &["Practical fixing skills of any kind", "Tools provided"],
        causes: &["environment-and-conservation", "community-development"],
        skills: &[
            ("diy-and-repairs", 5),
            ("problem-solving", 5),
            ("customer-service", 2),
        ],
        min_age: &[(16, 0.6), (18, 0.4)],
        dbs: 0.0,
        commitment: [0.5, 0.4, 0.1],
        location: [1.0, 0.0, 0.0],
        places: (2, 8),
        hours: (3, 4),
        times: &[(11, 3), (13, 3)],
        days: WEEKEND,
    },
    RoleTemplate {
        key: "community-kitchen",
        variants: &[
            (
                "Community kitchen cook",
                "Cook a hot meal for 60 guests at our weekly community kitchen.",
            ),
            (
                "Hot meals volunteer",
                "Prep, cook and serve free meals with a lively kitchen team.",
            ),
            (
                "Kitchen assistant",
                "Chop, wash up and help the cook keep the kitchen running.",
            ),
        ],
        duties: &[
            "Prepare vegetables and help the lead cook",
            "Cook and serve to guests",
            "Keep the kitchen clean to food hygiene standards",
            "Help plan menus around donated food",
        ],
        needs: &[
            "Some cooking experience",
            "Level 2 Food Hygiene, or willingness to do our free course",
        ],
        causes: &["food-poverty", "faith", "homelessness-and-housing"],
        skills: &[("cooking", 4), ("food-hygiene", 2), ("teamwork", 3)],
        min_age: &[(16, 0.7), (18, 0.3)],
        dbs: 0.0,
        commitment: [0.1, 0.8, 0.1],
        location: [1.0, 0.0, 0.0],
        places: (3, 12),
        hours: (3, 4),
        times: &[(10, 4), (16, 4)],
        days: ANY_DAY,
    },
    RoleTemplate {
        key: "data-volunteer",
        variants: &[
            (
                "Data entry volunteer",
                "Help us keep accurate records so we can show funders the difference we make.",
            ),
            (
                "Impact and monitoring volunteer",
                "Help us collect and make sense of feedback so we can show our impact.",
            ),
            (
                "Database volunteer",
                "Tidy up and maintain our contacts database.",
            ),
            (
                "Survey volunteer",
                "Run short surveys at our sessions and enter the answers.",
            ),
        ],
        duties: &[
            "Enter attendance and feedback into our database",
            "Check and tidy up records",
            "Help produce simple charts for our annual report",
            "Run short surveys at sessions",
        ],
        needs: &[
            "Accuracy and confidentiality",
            "Comfortable with spreadsheets",
        ],
        causes: &["community-development", "digital-inclusion"],
        skills: &[
            ("data-entry", 4),
            ("digital", 4),
            ("maths", 3),
            ("problem-solving", 3),
        ],
        min_age: &[(16, 0.6), (18, 0.4)],
        dbs: 0.0,
        commitment: [0.1, 0.5, 0.4],
        location: [0.3, 0.45, 0.25],
        places: (1, 4),
        hours: (2, 4),
        times: &[(10, 3), (14, 3)],
        days: WEEKDAYS,
    },
    RoleTemplate {
        key: "health-champion",
        variants: &[
            (
                "Health champion",
                "Share trusted health information with neighbours and at community events.",
            ),
            (
                "Community health ambassador",
                "Help people in your community use local health services and get checked early.",
            ),
            (
                "Hospital discharge support volunteer",
                "Help people settle back at home after a stay in hospital.",
            ),
            (
                "Vaccination clinic marshal",
                "Welcome and guide people at our community health clinics.",
            ),
        ],
        duties: &[
            "Talk to people at events and in community spaces about health checks and screening",
            "Help people find and use local health services",
            "Check in on people after hospital discharge",
            "Guide people through the clinic and answer questions",
        ],
        needs: &[
            "Good communicator",
            "Our health champion training (two sessions)",
        ],
        causes: &[
            "health-and-social-care",
            "older-people",
            "community-development",
        ],
        skills: &[
            ("speaking", 5),
            ("customer-service", 3),
            ("listening", 4),
            ("first-aid", 0),
        ],
        min_age: &[(18, 0.7), (16, 0.3)],
        dbs: 0.4,
        commitment: [0.3, 0.5, 0.2],
        location: [0.9, 0.05, 0.05],
        places: (2, 15),
        hours: (2, 4),
        times: &[(9, 3), (13, 3)],
        days: WEEKDAYS,
    },
    RoleTemplate {
        key: "tenants-association",
        variants: &[
            (
                "Tenants' association committee member",
                "Help run your tenants' and residents' association and make your estate a better place.",
            ),
            (
                "Estate newsletter volunteer",
                "Put together the estate newsletter and deliver it door to door.",
            ),
            (
                "Community centre keyholder",
                "Open up the community hall for groups and keep the bookings running.",
            ),
            (
                "Residents' meeting note-taker",
                "Take notes at residents' meetings and share them with neighbours.",
            ),
        ],
        duties: &[
            "Attend monthly committee meetings",
            "Raise repairs and estate issues with the council",
            "Organise estate events and clean-up days",
            "Take minutes and keep residents informed",
        ],
        needs: &[
            "Living on or near the estate",
            "Interest in your neighbours and your area",
        ],
        causes: &["community-development", "homelessness-and-housing"],
        skills: &[
            ("leadership", 4),
            ("admin", 2),
            ("event-planning", 2),
            ("speaking", 4),
        ],
        min_age: &[(18, 1.0)],
        dbs: 0.0,
        commitment: [0.0, 0.8, 0.2],
        location: [0.8, 0.0, 0.2],
        places: (1, 6),
        hours: (1, 3),
        times: &[(18, 2), (19, 2)],
        days: WEEKDAYS,
    },
];

/// A kind of organisation: how such organisations are named and described and
/// which roles they post.
pub(crate) struct OrgKind {
    #[cfg_attr(not(test), allow(dead_code))]
    pub key: &'static str,
    /// Relative frequency among the alliance's members.
    pub weight: f64,
    /// Name patterns: `{place}`, `{estate}`, `{park}`, `{saint}`.
    pub names: &'static [&'static str],
    /// Opening sentences: `{name}` and `{area}`.
    pub about: &'static [&'static str],
    /// Role template keys with weights.
    pub roles: &'static [(&'static str, f64)],
}

pub(crate) const ORG_KINDS: &[OrgKind] = &[
    OrgKind {
        key: "food",
        weight: 1.6,
        names: &[
            "{place} Food Hub",
            "{place} Community Pantry",
            "{place} Foodbank",
            "{place} Community Fridge",
            "{place} Food Network",
            "{place} Food Cooperative",
        ],
        about: &[
            "{name} gives emergency food and a warm welcome to families across {area}.",
            "{name} is a membership pantry in {area}: members pay a few pounds a week for a full bag of shopping.",
            "{name} collects surplus food from supermarkets and shares it with people who need it in {area}.",
        ],
        roles: &[
            ("food-hub-packer", 5.0),
            ("delivery-driver", 2.0),
            ("warehouse", 2.0),
            ("reception", 1.0),
            ("fundraiser", 0.7),
            ("lunch-club", 0.5),
            ("data-volunteer", 0.5),
            ("social-media", 0.4),
            ("trustee", 0.3),
        ],
    },
    OrgKind {
        key: "befriending",
        weight: 1.0,
        names: &[
            "{place} Befriending Scheme",
            "Good Neighbours {place}",
            "{place} Friendship Network",
            "{place} Telephone Friends",
        ],
        about: &[
            "{name} matches volunteers with older neighbours in {area} who would like more company.",
            "{name} tackles loneliness in {area} through phone calls, home visits and group outings.",
        ],
        roles: &[
            ("phone-befriender", 4.0),
            ("home-befriender", 4.0),
            ("lunch-club", 1.0),
            ("digital-helper", 1.0),
            ("fundraiser", 0.5),
            ("reception", 0.5),
            ("trustee", 0.3),
        ],
    },
    OrgKind {
        key: "older-people",
        weight: 1.0,
        names: &[
            "{place} Pensioners' Forum",
            "{place} Over-50s Club",
            "{place} Age Well Centre",
            "{place} Tea Dance Club",
            "{place} Older People's Day Centre",
        ],
        about: &[
            "{name} runs lunches, exercise classes, trips and advice for older people in {area}.",
            "{name} is a day centre in {area} where older residents meet, eat and keep active together.",
        ],
        roles: &[
            ("lunch-club", 3.0),
            ("arts-workshop", 1.5),
            ("digital-helper", 1.5),
            ("home-befriender", 1.0),
            ("sports-coach", 0.7),
            ("event-steward", 0.7),
            ("delivery-driver", 0.7),
            ("health-champion", 0.5),
        ],
    },
    OrgKind {
        key: "youth",
        weight: 1.3,
        names: &[
            "{place} Youth Club",
            "{place} Young People's Project",
            "{place} Adventure Playground",
            "{place} Youth Hub",
            "{place} Youth Theatre",
        ],
        about: &[
            "{name} has been a safe, fun place for young people in {area} for over twenty years.",
            "{name} runs open-access youth sessions, mentoring and holiday programmes in {area}.",
        ],
        roles: &[
            ("youth-club-assistant", 3.0),
            ("young-leader", 2.0),
            ("youth-mentor", 2.0),
            ("sports-coach", 1.5),
            ("homework-club", 1.5),
            ("arts-workshop", 1.0),
            ("event-steward", 0.7),
            ("fundraiser", 0.5),
        ],
    },
    OrgKind {
        key: "tenants",
        weight: 0.9,
        names: &[
            "{estate} Tenants' and Residents' Association",
            "{estate} TRA",
            "Friends of {estate}",
        ],
        about: &[
            "{name} speaks up for residents of {estate} and runs events that bring neighbours together.",
            "{name} is run by and for the people who live on {estate}.",
        ],
        roles: &[
            ("tenants-association", 3.0),
            ("event-steward", 2.0),
            ("community-garden", 1.5),
            ("park-cleanup", 1.0),
            ("social-media", 0.7),
            ("lunch-club", 0.7),
        ],
    },
    OrgKind {
        key: "advice",
        weight: 0.9,
        names: &[
            "{place} Advice Centre",
            "{place} Law Centre",
            "{place} Welfare Rights Project",
            "{place} Money Advice",
            "{place} Citizens' Advice Point",
        ],
        about: &[
            "{name} gives free, confidential advice on benefits, debt, housing and employment to people in {area}.",
            "{name} helps people in {area} get the income and housing they are entitled to.",
        ],
        roles: &[
            ("advice-assistant", 4.0),
            ("reception", 2.0),
            ("data-volunteer", 1.0),
            ("digital-helper", 1.0),
            ("employment-coach", 0.7),
            ("trustee", 0.5),
        ],
    },
    OrgKind {
        key: "garden",
        weight: 1.0,
        names: &[
            "{place} Community Garden",
            "{place} Growing Project",
            "Friends of {park}",
            "{park} Allotment Society",
            "{place} Orchard Project",
        ],
        about: &[
            "{name} turns a small patch of {area} into a place to grow food, learn and relax.",
            "{name} looks after green spaces in {area} with local residents and the council.",
        ],
        roles: &[
            ("community-garden", 4.0),
            ("park-cleanup", 3.0),
            ("event-steward", 1.0),
            ("fundraiser", 0.5),
            ("social-media", 0.5),
        ],
    },
    OrgKind {
        key: "digital",
        weight: 0.6,
        names: &[
            "{place} Digital Inclusion Project",
            "Get {place} Online",
            "{place} Tech Hub",
            "{place} Computer Club",
        ],
        about: &[
            "{name} helps people in {area} get online, stay safe and save money with free devices and support.",
            "{name} recycles laptops and runs drop-ins so nobody in {area} is left offline.",
        ],
        roles: &[
            ("digital-helper", 5.0),
            ("employment-coach", 1.0),
            ("data-volunteer", 1.0),
            ("social-media", 0.7),
            ("reception", 0.5),
            ("repair-cafe", 0.5),
        ],
    },
    OrgKind {
        key: "refugee",
        weight: 0.7,
        names: &[
            "{place} Refugee Welcome",
            "{place} Sanctuary Project",
            "{place} Migrant Support Network",
            "{place} Latin American Women's Group",
        ],
        about: &[
            "{name} welcomes refugees and people seeking asylum in {area} with food, advice, English classes and friendship.",
            "{name} supports migrant families in {area} to settle, learn and thrive.",
        ],
        roles: &[
            ("refugee-welcome", 4.0),
            ("esol-conversation", 3.0),
            ("advice-assistant", 1.0),
            ("youth-mentor", 0.7),
            ("community-kitchen", 0.7),
            ("homework-club", 0.5),
        ],
    },
    OrgKind {
        key: "learning",
        weight: 0.6,
        names: &[
            "{place} ESOL Project",
            "{place} Reading Partners",
            "{place} Learning Centre",
            "{place} Supplementary School",
        ],
        about: &[
            "{name} runs free English, maths and digital classes for adults in {area}.",
            "{name} helps children in {area} catch up and get ahead with reading and homework support.",
        ],
        roles: &[
            ("esol-conversation", 3.0),
            ("homework-club", 3.0),
            ("digital-helper", 1.0),
            ("employment-coach", 0.7),
            ("reception", 0.5),
        ],
    },
    OrgKind {
        key: "mental-health",
        weight: 0.7,
        names: &[
            "{place} Mind Matters",
            "{place} Wellbeing Collective",
            "{place} Peer Support Network",
            "{place} Men's Shed",
        ],
        about: &[
            "{name} offers peer support, creative groups and walks for people in {area} living with mental ill health.",
            "{name} is a friendly place in {area} to talk, make things and feel less alone.",
        ],
        roles: &[
            ("peer-support", 4.0),
            ("arts-workshop", 1.5),
            ("community-garden", 1.0),
            ("phone-befriender", 1.0),
            ("reception", 0.5),
            ("repair-cafe", 0.5),
        ],
    },
    OrgKind {
        key: "homelessness",
        weight: 0.6,
        names: &[
            "{place} Night Shelter",
            "{place} Winter Shelter",
            "{place} Housing Action",
            "{place} Street Kitchen",
        ],
        about: &[
            "{name} gives people sleeping rough in {area} a hot meal, a bed and a route off the streets.",
            "{name} works with people facing homelessness in {area} to find and keep a home.",
        ],
        roles: &[
            ("night-shelter", 4.0),
            ("community-kitchen", 2.0),
            ("advice-assistant", 1.0),
            ("warehouse", 0.7),
            ("fundraiser", 0.7),
        ],
    },
    OrgKind {
        key: "faith",
        weight: 1.0,
        names: &[
            "St {saint}'s Church Community Project",
            "{place} Mosque Community Kitchen",
            "{place} Interfaith Forum",
            "{place} Methodist Church Drop-in",
            "{place} Baptist Church Community Café",
            "{place} Quaker Meeting House Drop-in",
        ],
        about: &[
            "{name} opens its doors to everyone in {area}, of any faith or none.",
            "{name} runs a community café, a food bank and a lunch club from its hall in {area}.",
        ],
        roles: &[
            ("community-kitchen", 3.0),
            ("lunch-club", 2.0),
            ("night-shelter", 1.0),
            ("youth-club-assistant", 1.0),
            ("homework-club", 0.7),
            ("event-steward", 0.7),
            ("food-hub-packer", 1.0),
        ],
    },
    OrgKind {
        key: "arts",
        weight: 0.8,
        names: &[
            "{place} Arts Collective",
            "{place} Community Theatre",
            "{place} Community Choir",
            "{place} Print Studio",
            "{place} Carnival Arts",
        ],
        about: &[
            "{name} brings people in {area} together to make art, music and theatre.",
            "{name} runs free creative workshops and an annual festival in {area}.",
        ],
        roles: &[
            ("arts-workshop", 4.0),
            ("event-steward", 2.0),
            ("social-media", 1.0),
            ("fundraiser", 0.7),
            ("reception", 0.5),
            ("heritage", 0.5),
        ],
    },
    OrgKind {
        key: "sport",
        weight: 0.8,
        names: &[
            "{place} Boxing Club",
            "{place} Football Club",
            "{place} Cycling Club",
            "{place} Running Club",
            "{place} Cricket Club",
            "{place} Netball Club",
        ],
        about: &[
            "{name} has been getting people in {area} active since the 1980s, at low or no cost.",
            "{name} is a volunteer-run club in {area} open to every age and ability.",
        ],
        roles: &[
            ("sports-coach", 4.0),
            ("young-leader", 1.5),
            ("event-steward", 1.0),
            ("fundraiser", 0.7),
            ("trustee", 0.5),
        ],
    },
    OrgKind {
        key: "disability",
        weight: 0.6,
        names: &[
            "{place} Disability Forum",
            "{place} Inclusive Sports",
            "{place} Learning Disability Network",
            "{place} Accessible Cycling",
            "{place} Deaf Club",
        ],
        about: &[
            "{name} is run by disabled people for disabled people in {area}.",
            "{name} offers social, sports and arts activities for people with learning disabilities in {area}.",
        ],
        roles: &[
            ("disability-support", 4.0),
            ("sports-coach", 1.0),
            ("arts-workshop", 1.0),
            ("phone-befriender", 0.7),
            ("event-steward", 0.7),
        ],
    },
    OrgKind {
        key: "environment",
        weight: 0.7,
        names: &[
            "{place} Climate Action",
            "{place} Repair Café",
            "{place} Bike Workshop",
            "{place} Nature Reserve Volunteers",
            "{place} Green Streets",
        ],
        about: &[
            "{name} helps people in {area} cut waste, save energy and green their streets.",
            "{name} is a volunteer group caring for wildlife and green spaces in {area}.",
        ],
        roles: &[
            ("repair-cafe", 3.0),
            ("park-cleanup", 3.0),
            ("community-garden", 1.5),
            ("social-media", 0.7),
            ("event-steward", 0.7),
        ],
    },
    OrgKind {
        key: "heritage",
        weight: 0.4,
        names: &[
            "{place} Local History Society",
            "{place} Heritage Trust",
            "{place} Archive Project",
        ],
        about: &[
            "{name} collects and shares the history of {area}: its docks, markets, factories and people.",
            "{name} runs walks, talks and exhibitions about the history of {area}.",
        ],
        roles: &[
            ("heritage", 4.0),
            ("event-steward", 1.0),
            ("social-media", 0.7),
            ("data-volunteer", 0.7),
            ("trustee", 0.5),
        ],
    },
    OrgKind {
        key: "health",
        weight: 0.7,
        names: &[
            "{place} Carers' Centre",
            "{place} Health Champions",
            "{place} Social Prescribing Partnership",
            "{place} Dementia Hub",
        ],
        about: &[
            "{name} supports unpaid carers in {area} with advice, breaks and a listening ear.",
            "{name} works with GP practices in {area} to connect people with local activities and support.",
        ],
        roles: &[
            ("carers-cafe", 2.0),
            ("health-champion", 3.0),
            ("phone-befriender", 1.0),
            ("reception", 0.7),
            ("peer-support", 0.7),
        ],
    },
    OrgKind {
        key: "employment",
        weight: 0.5,
        names: &[
            "{place} Job Club",
            "{place} Works",
            "{place} Skills Academy",
            "{place} Careers Hub",
        ],
        about: &[
            "{name} helps people in {area} into work, training and volunteering.",
            "{name} runs a weekly job club and a work experience programme for young people in {area}.",
        ],
        roles: &[
            ("employment-coach", 4.0),
            ("digital-helper", 1.5),
            ("youth-mentor", 1.0),
            ("reception", 0.5),
            ("data-volunteer", 0.5),
        ],
    },
    OrgKind {
        key: "animals",
        weight: 0.25,
        names: &[
            "{place} City Farm",
            "{place} Animal Rescue",
            "{place} Wildlife Group",
        ],
        about: &[
            "{name} is a working city farm in {area} where children and adults learn about animals and growing food.",
            "{name} rescues and rehomes animals across {area}.",
        ],
        roles: &[
            ("animal-care", 4.0),
            ("community-garden", 1.0),
            ("event-steward", 1.0),
            ("young-leader", 0.7),
            ("fundraiser", 0.5),
        ],
    },
];

/// Southwark neighbourhoods used in organisation names, with the ward they sit in.
pub(crate) const PLACES: &[(&str, &str)] = &[
    ("Peckham", "E05011110"),
    ("North Peckham", "E05011110"),
    ("Rye Lane", "E05011113"),
    ("Peckham Rye", "E05011111"),
    ("Nunhead", "E05011108"),
    ("Queen's Road", "E05011108"),
    ("Camberwell", "E05011096"),
    ("Denmark Hill", "E05011097"),
    ("Champion Hill", "E05011097"),
    ("Walworth", "E05011107"),
    ("East Street", "E05011102"),
    ("Elephant & Castle", "E05011105"),
    ("Newington", "E05011105"),
    ("Kennington Park", "E05011105"),
    ("Borough", "E05011098"),
    ("Bankside", "E05011095"),
    ("Southwark", "E05011114"),
    ("London Bridge", "E05011104"),
    ("Bermondsey", "E05011106"),
    ("South Bermondsey", "E05011116"),
    ("Blue Anchor", "E05011116"),
    ("Rotherhithe", "E05011112"),
    ("Canada Water", "E05011112"),
    ("Surrey Docks", "E05011117"),
    ("Old Kent Road", "E05011109"),
    ("Burgess Park", "E05011102"),
    ("Dulwich", "E05011100"),
    ("East Dulwich", "E05011103"),
    ("Lordship Lane", "E05011103"),
    ("Goose Green", "E05011103"),
    ("Herne Hill", "E05011100"),
    ("Honor Oak", "E05011099"),
    ("Sydenham Hill", "E05011101"),
    ("Kingswood", "E05011101"),
    ("St Giles", "E05011115"),
    ("Walworth Road", "E05011107"),
    ("Camberwell Green", "E05011096"),
    ("Faraday", "E05011102"),
    ("Tower Bridge", "E05011104"),
    ("Elmington", "E05011096"),
];

/// Housing estates (for tenants' associations), with their ward.
pub(crate) const ESTATES: &[(&str, &str)] = &[
    ("Aylesbury Estate", "E05011102"),
    ("Brandon Estate", "E05011105"),
    ("Tabard Gardens Estate", "E05011098"),
    ("Kingswood Estate", "E05011101"),
    ("Gloucester Grove Estate", "E05011110"),
    ("North Peckham Estate", "E05011110"),
    ("Four Squares Estate", "E05011116"),
    ("Rockingham Estate", "E05011098"),
    ("Pullens Estate", "E05011105"),
    ("Setchell Estate", "E05011116"),
    ("Tustin Estate", "E05011109"),
    ("Leathermarket Estate", "E05011104"),
    ("Dickens Estate", "E05011106"),
    ("Elmington Estate", "E05011096"),
    ("Acorn Estate", "E05011109"),
    ("Sceaux Gardens Estate", "E05011115"),
    ("Lettsom Estate", "E05011097"),
    ("Consort Estate", "E05011110"),
    ("Brenchley Gardens Estate", "E05011099"),
    ("Canada Estate", "E05011112"),
    ("Silverlock Estate", "E05011112"),
    ("Rennie Estate", "E05011116"),
    ("Bonamy Estate", "E05011116"),
    ("Crosby Row Estate", "E05011104"),
    ("Pelier Estate", "E05011102"),
    ("Wyndham Estate", "E05011096"),
    ("Camden Estate", "E05011110"),
    ("Gilesmead Estate", "E05011115"),
    ("Dawson's Heights", "E05011099"),
    ("Bermondsey Spa Estate", "E05011116"),
    ("Osprey Estate", "E05011117"),
    ("Abbeyfield Estate", "E05011106"),
    ("Salisbury Estate", "E05011107"),
    ("Kinglake Estate", "E05011102"),
    ("East Dulwich Estate", "E05011103"),
    ("Ledbury Estate", "E05011109"),
    ("Cossall Estate", "E05011108"),
    ("Haddonfield Estate", "E05011112"),
    ("Longfield Estate", "E05011116"),
    ("Hawkstone Estate", "E05011112"),
    ("Champion Hill Estate", "E05011097"),
];

/// Parks and green spaces, with their ward.
pub(crate) const PARKS: &[(&str, &str)] = &[
    ("Burgess Park", "E05011102"),
    ("Peckham Rye Park", "E05011111"),
    ("Southwark Park", "E05011106"),
    ("Dulwich Park", "E05011100"),
    ("Russia Dock Woodland", "E05011117"),
    ("Nunhead Cemetery", "E05011108"),
    ("Belair Park", "E05011100"),
    ("Warwick Gardens", "E05011113"),
    ("Brunswick Park", "E05011115"),
    ("Leyton Square", "E05011110"),
    ("Lucas Gardens", "E05011115"),
    ("Sunray Gardens", "E05011097"),
    ("Cossall Park", "E05011108"),
    ("Bird in Bush Park", "E05011109"),
    ("Mint Street Park", "E05011095"),
    ("Tabard Gardens", "E05011098"),
    ("King's Stairs Gardens", "E05011112"),
    ("Stave Hill Ecological Park", "E05011117"),
    ("Sydenham Hill Wood", "E05011101"),
    ("Camberwell Old Cemetery", "E05011099"),
];

pub(crate) const SAINTS: &[&str] = &[
    "George",
    "Giles",
    "Mary Magdalene",
    "John",
    "Luke",
    "Peter",
    "Paul",
    "Saviour",
    "Mark",
    "Christopher",
    "Anne",
    "James",
    "Barnabas",
    "Crispin",
    "Faith",
    "Michael",
    "Jude",
    "Philip",
];

/// "What we offer" bullets that suit any role.
pub(crate) const OFFERS: &[&str] = &[
    "Travel expenses reimbursed (bus and Tube fares)",
    "A full induction and training, including safeguarding",
    "A named volunteer coordinator to support you",
    "A reference after three months",
    "Tea, coffee and a friendly team",
    "Lunch on the day",
    "Regular volunteer socials and a thank-you party every year",
    "Experience and skills that count toward your skills pathway on hubmatch",
    "Free training courses through the alliance's learning programme",
    "Flexibility around your work, studies and caring responsibilities",
];

/// Opening lines for an application message.
pub(crate) const APPLICATION_MESSAGES: &[&str] = &[
    "I live nearby and would love to help.",
    "I've volunteered at a food bank before and enjoyed it.",
    "I'm free most Saturday mornings.",
    "I can do weekday evenings after work.",
    "I recently retired and want to give something back.",
    "I'm a student and looking for experience in this area.",
    "This cause means a lot to me personally.",
    "My GP link worker suggested volunteering and this looks perfect.",
    "I speak two languages if that is useful.",
    "Happy to help wherever you need me.",
    "I'd like to build my confidence before going back to work.",
    "I'm doing my Duke of Edinburgh's Award and need a volunteering placement.",
];

/// Why an organisation declined an application (application_event.note).
pub(crate) const DECLINE_NOTES: &[&str] = &[
    "Thank you - all places are now filled.",
    "We need someone available on weekday mornings.",
    "Thank you for applying; we have kept your details for future roles.",
    "We've suggested another role that may suit you better.",
    "",
];

/// Bio fragments: who I am (by life stage) and what I'd like to do.
pub(crate) const BIO_YOUNG: &[&str] = &[
    "I'm at secondary school and want to get some experience.",
    "I'm in sixth form and thinking about a career in {cause}.",
    "I'm doing my Duke of Edinburgh's Award.",
    "I'm at college studying health and social care.",
];
pub(crate) const BIO_ADULT: &[&str] = &[
    "I work in an office in London Bridge and have some free evenings.",
    "I'm a nurse working shifts, so my free time moves around.",
    "I'm a parent of two and have free time while the kids are at school.",
    "I'm between jobs and want to stay busy and learn new things.",
    "I work from home and would like to get to know my neighbours.",
    "I'm a university student at King's.",
    "I moved to {ward} last year and would like to meet people.",
    "I run a small business and can give a few hours a week.",
    "I'm a teaching assistant, free in the school holidays.",
    "I work in hospitality, usually free on weekday mornings.",
];
pub(crate) const BIO_OLDER: &[&str] = &[
    "Recently retired from the NHS and looking for something worthwhile.",
    "I'm retired and have lived in {ward} for over thirty years.",
    "Retired teacher with plenty of patience.",
    "I've just retired after forty years on the buses and I'm not ready to sit still.",
    "I'm a grandparent with time to spare during the week.",
];
pub(crate) const BIO_INTEREST: &[&str] = &[
    "I care about {cause} and would like to help locally.",
    "The cause closest to my heart is {cause}.",
    "I'd like to do something practical for {cause}.",
    "I'm interested in anything to do with {cause}.",
];
pub(crate) const BIO_CLOSING: &[&str] = &[
    "Happy to help wherever I'm needed.",
    "I'm reliable and a good listener.",
    "I'd like to learn new skills along the way.",
    "",
    "",
];
