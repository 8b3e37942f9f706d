/**
 * Commune names that are also ordinary words (generated; see the rule below). Such a name
 * counts as a place only after a locative cue ("à Eu", "in Vue") or with a postal code or
 * département number; otherwise "il y a eu" would name Y and Eu.
 *
 * Rule used to generate the list, from the official commune names and the Debian French and
 * American English word lists (wfrench, wamerican):
 * - a one-word name of at most 3 letters, unless it is no word and has 20,000+ inhabitants (Pau);
 * - a one-word name that is a word, for communes under 50,000 inhabitants ("Vue", "Plan");
 * - an article and a word ("Le Port", "La Garde"), under 50,000 inhabitants;
 * - by hand, bigger cities whose name is an everyday word in French or English in a
 *   question ("Nice", "Orange", "Sens", "Gap", "Lens").
 * Names are folded (lower case, no accents, words joined by one space), "|"-separated.
 */
const LIST = `
abondance|abondant|achy|acon|acq|acy|ade|afa|agnat|agneaux|agy|aigre|aiguilles|aiguillon|aillas|aire|
aix|ales|allegre|alliat|allier|allons|alloue|ally|altier|ambon|ambres|ames|amure|amy|anche|andouille|
ange|angles|anglet|angoisse|annelles|anse|appelle|apt|aramon|arboras|arceau|arches|arcon|ardentes|
ares|argentan|argentine|armes|aromas|arques|arrest|arroses|ars|arx|asque|assay|athee|aubaine|aube|
aubin|aucun|auge|aurons|autruche|aveux|avion|aviron|avoine|avril|avy|axat|ayn|aze|azur|azy|baby|
baccarat|bachant|bachas|baignes|bains|bais|ballon|ballons|ballots|banne|bannes|bannieres|bans|bar|
barbas|barcelonnette|bard|barges|baron|barras|barre|bars|basses|bats|baud|bavent|bax|bay|bayas|baye|
bayons|beard|beaux|begard|begues|bellot|belvedere|benet|berg|bergeres|berne|bernes|besson|bettes|
betting|bevy|bey|bias|biches|biding|bidon|bief|bielle|bille|billy|binas|binges|bio|bizou|bizous|blet|
blond|boe|bogy|bois|boisseau|boisseaux|bonne|bonnes|bonnet|bony|boos|bordes|bords|boree|borne|boron|
bossee|bou|boucau|bouchon|boudes|boue|bouee|bougon|bouillante|bouillon|boulange|boulin|boulon|boulot|
bouquet|bourdon|bourdonne|bourg|bourguignon|bourguignons|boursieres|boz|brain|brains|bran|branches|
bras|brasseuse|brassy|bray|braye|breches|breles|bremes|bren|brette|brettes|breves|brie|briffons|
brosses|brou|brouilla|brousse|broye|broyes|bru|brunet|brusque|bruyeres|bry|bu|buc|bue|buire|buisson|
bulle|bulles|bullion|bully|bun|bure|burelles|burg|bury|bus|busque|bust|busy|by|cabanes|cabris|
cagnotte|cailla|caille|cales|camarade|cambes|cambia|cambrai|came|camembert|campagne|canals|canari|
cancale|candor|cannelle|capelle|captieux|carcans|cardan|cars|carves|cassis|casson|cast|castanet|
castres|cavaillon|caves|ceignes|celle|celles|cendras|centres|cerbere|cerise|cerisiers|cesse|cesseras|
chablis|chambray|champagne|champis|champs|change|chanteau|chanterelle|chantes|chantilly|chapeau|
charbonnat|charbonnieres|charge|charme|charmes|charron|chars|chas|chassant|chasselas|chatain|chateau|
chateaubriant|chatelain|chatres|chatte|chauve|chaux|chemin|cheminas|cheminot|chenevieres|chenu|
chevaline|chevennes|chevillard|cheville|chevreaux|chevrier|chevrieres|chiche|chilly|chives|choisies|
choux|cierges|cieux|cigogne|cintre|cires|cirieres|ciron|citerne|clam|clans|clapiers|claret|clave|
clavette|claviers|cloue|cluses|cogna|cognac|coinces|coings|collat|collegien|cologne|colombe|
colombier|colombiers|colombine|colonne|coltines|combes|comblanchien|combles|conde|condom|confort|
conte|contes|contest|contre|contres|corbeilles|corbieres|cordelle|cordon|cordonnet|corn|cornac|
cornant|cornas|cornier|cornus|coron|corps|cos|couches|coudes|coudons|couleuvre|coulombs|coulommiers|
courant|courbes|courbette|cours|courtes|couture|coutures|couvains|cox|cramant|crans|creances|crepon|
crest|creuse|crevant|crisse|croix|crosses|cruet|cry|cuis|cult|cultures|cuq|cures|cuts|cutting|cuvat|
cuve|cuves|cuvier|cuy|dangers|dardez|dauphin|degre|denier|denting|deviat|devise|die|dives|dole|don|
dorat|douai|doue|douelle|douillet|doux|drache|drap|dry|dumes|dun|dunes|dung|duras|dye|dyo|echalas|
eclaires|ecole|ecorches|ecot|ecueil|ecuelle|ecuelles|ecuisses|ecuras|ecurat|ecurie|eix|elbeuf|embrun|
engins|ens|entrelacs|epannes|epargnes|epiais|epierre|epineuse|eps|erp|err|erre|escales|esches|escot|
espere|essay|esse|estampes|estivaux|etables|etain|etais|etalon|etampes|etaux|eth|eu|eup|eus|eve|eze|
falaise|fargues|faucon|faux|fay|feins|felines|felon|fenouillet|feuilla|feule|feux|feves|fey|fiefs|
fieux|fille|fins|flee|fleurat|fleure|fleurie|florentin|folies|folles|fontaine|fontainebleau|
fontaines|fontes|force|forges|fors|fos|fosse|fosses|fougere|fougeres|fouilleuse|four|fourches|
fourneaux|fours|frais|francs|fretin|frise|fromental|frontignan|fronton|fry|fuisse|fussy|fye|gaillard|
gan|gap|garat|garons|garrigues|gars|gas|gemeaux|genas|genat|genets|ger|germ|germaine|germaines|geu|
gex|gez|giraumont|girolles|giron|glaire|gland|glandage|glanes|goes|gorges|gousse|gouts|gouttieres|
gouvernes|goyave|graces|grand|granges|gras|grasse|gray|greges|grenade|grenant|grignon|grillon|
grimaud|grisolles|grives|grues|gueret|gueux|guiche|guignes|guise|gy|gye|ham|hanches|hauban|haussez|
hem|heres|herisson|hermes|hinges|his|hommes|houdan|houilles|houlette|hours|housseras|housset|houx|
huez|hunting|hure|ifs|ige|irai|irais|iron|island|isle|isola|issus|ivory|ize|jalons|jardin|jarret|
jars|jas|jasses|jax|job|joyeuse|joyeux|juif|julienne|jumeaux|jumel|jumelles|jure|jury|l aigle|
l aiguillon|l ecaille|l echelle|l epine|l escale|l etoile|l habit|l hermitage|l hopital|l hotellerie|
l huisserie|l oie|l union|la baffe|la baleine|la barde|la baronnie|la barre|la bastide|la baume|
la besace|la bosse|la bouille|la bouillie|la bouteille|la brigue|la brousse|la bruyere|la cabanasse|
la cambe|la capelle|la cavalerie|la celle|la chaise|la chambre|la champenoise|la chapelle|la charme|
la charmee|la chataigneraie|la chatelaine|la chatre|la chaudiere|la chaume|la chaussee|la chaux|
la clayette|la clisse|la colombe|la compote|la comte|la coquille|la cote|la couronne|la couture|
la creche|la creuse|la crique|la demie|la devise|la doree|la douze|la drenne|la falaise|la fermete|
la feuillee|la fleche|la flotte|la folie|la force|la forestiere|la forge|la forteresse|la frette|
la gaillarde|la garde|la gaude|la grange|la grave|la gravelle|la guiche|la harengere|la houblonniere|
la jard|la jonchere|la loge|la loupe|la luzerne|la machine|la madeleine|la marche|la marne|la marre|
la martre|la martyre|la mole|la montagne|la morte|la motte|la mouche|la mure|la murette|la noue|
la palme|la penne|la perche|la pesse|la pierre|la plaine|la planche|la planee|la porcherie|la porta|
la possession|la quarte|la quinte|la remuee|la reunion|la riche|la riviere|la roe|la romaine|
la ronde|la roquette|la rosiere|la salle|la sauniere|la sauve|la selve|la sentinelle|la serpent|
la serre|la souche|la souterraine|la table|la tache|la taillee|la terrasse|la tombe|la touche|
la tour|la trinite|la tronche|la tuiliere|la vacherie|la vallee|la vergne|la verriere|la veuve|
labrit|lacs|laguiole|lain|laize|lama|lance|lancon|landerneau|landes|lange|langeais|laps|lasse|lattes|
lay|laye|laz|le bernard|le blanc|le bonhomme|le born|le bouchage|le bouillon|le bourg|le broc|
le buis|le buisson|le cause|le cellier|le cendre|le cercueil|le charme|le chemin|le chene|le clapier|
le compas|le conquet|le coteau|le cours|le crest|le cuing|le detroit|le diamant|le donjon|le dorat|
le ferre|le fete|le fieu|le givre|le gosier|le gres|le ham|le liege|le lorrain|le mage|le manoir|
le marigot|le marin|le martinet|le mas|le mene|le miroir|le monastere|le mont|le montat|le moule|
le mung|le noyer|le palais|le pallet|le parc|le pas|le passage|le perron|le pertuis|le pin|le plan|
le poet|le pontet|le port|le pout|le precheur|le puy|le quartier|le reposoir|le retail|le roc|
le roulier|le roux|le rove|le saint|le sen|le sequestre|le sourd|le syndicat|le tablier|le tartre|
le tech|le temple|le thou|le tiercent|le tilleul|le titre|le tourne|le trait|le tronchet|le val|
le vast|le verdier|le verger|le vert|le vivier|lee|leers|lege|lemmes|lens|lent|lentilles|lento|
les achards|les aires|les allies|les angles|les arcs|les arques|les attaques|les autels|les avirons|
les barils|les baties|les bessons|les bondons|les bordes|les breviaires|les brulais|les cars|
les casses|les chapelles|les cheres|les choux|les clefs|les cluses|les combes|les croutes|les damps|
les deserts|les echelles|les ecorces|les essarts|les etangs|les ferres|les fins|les forges|
les fosses|les genettes|les gets|les gonds|les granges|les gras|les haies|les halles|les hays|
les herbiers|les ifs|les leches|les lilas|les loges|les mages|les mars|les menus|les metairies|
les mollettes|les monceaux|les noes|les ormes|les peintures|les pieux|les pilles|les pineaux|
les pins|les places|les plans|les preaux|les pres|les rives|les rousses|les salles|les sauvages|
les sieges|les ternes|les thons|les touches|les vans|les ventes|les vigneaux|leves|levier|ley|lias|
lies|liez|ligne|limas|lime|limon|limons|linge|lisle|lisses|livet|llo|loches|lodes|lods|lombard|long|
longes|lor|lorette|louches|loue|louer|loueuse|lougres|loupes|lourde|lourdes|luc|lue|luisant|lumes|
lure|lusse|lutter|lux|luxe|lye|lys|mace|mache|maclas|macon|madre|magenta|magnan|magnant|magnas|magne|
magnet|maillas|maillat|maille|maillet|maillot|maire|maisons|maltat|mana|mane|manses|many|marchais|
marches|marennes|marges|marie|marin|marines|mariol|marions|marnes|maroilles|marques|marquise|marre|
mars|martel|martinet|martres|mascaras|massat|mathieu|maure|mauves|maux|medis|mee|mela|menat|mens|
menton|mer|mercury|mercy|mere|merles|messe|messy|meures|meursault|mey|migre|millas|minerve|minot|
mire|mirepoix|moire|moisson|moita|molles|monceaux|monnaie|mont|montagne|monte|montmorency|monts|
morillon|mortiers|mouchard|mouches|mouettes|moulines|moulinet|moulins|mouriez|mouron|mousse|mousson|
mouton|moutonne|moye|moyen|mun|munster|murat|mures|muret|murs|mus|nages|naves|nay|ney|nice|nivelle|
noe|norrois|novel|novella|noves|noyers|nuits|oison|olivet|olle|omet|oms|ondes|ongles|oo|oraison|
orange|ore|organ|orgelet|orges|orgueil|orin|ormes|ornes|ors|orx|ota|our|oust|ouste|oye|oz|oze|pace|
pact|pageas|paille|paillet|palisse|pannes|parce|parent|passa|passavant|passel|pauvres|pavant|pavie|
peas|peille|peintre|pelouse|pelves|pende|penne|pere|peri|perigueux|persan|pertuis|pey|pia|piano|
pierres|pin|pince|pionnat|pis|pithiviers|pitres|place|plaigne|plaine|plaisance|plaisir|plan|planches|
planchez|planes|planezes|planques|plats|pleure|pleurs|poil|poisson|poissons|poivres|poix|pommera|
pommier|pommiers|pomponne|pont|ponts|porcheres|port|porta|portes|poses|pouille|pouilly|poulaines|
pray|preaux|precieux|premontre|presle|prey|priez|prince|prisse|privas|prouvais|provin|provins|
pruniers|publier|puits|punchy|pure|py|pys|quarante|quernes|quintal|racines|rai|raids|ramasse|rance|
rances|rancon|rang|ratieres|ravel|raves|ravieres|raze|razes|real|recourt|relevant|rely|remouille|
rene|rentieres|repel|replonges|reveillon|revel|ri|riche|richelieu|riez|rimons|rions|ris|rivas|rives|
riviere|rivieres|rix|roche|rocher|roches|rocques|rodes|rodez|rogna|rognes|rognon|rogues|rom|romain|
romans|roquefort|roquelaure|roques|roquettes|rosieres|rosis|rots|rouet|rouez|rouge|rouille|rousses|
routes|routier|rouvres|rue|rustiques|ry|rye|sablieres|sablonnieres|sablons|sabres|sache|sai|saignes|
saillant|sains|saintes|sales|salies|salins|salives|salles|salon|sames|sampans|sana|sancerre|sand|
santes|sarrancolin|sassenage|sassy|saules|saunieres|saurais|saurat|sauternes|sauvat|sauve|
savonnieres|sceaux|sciez|scille|secheras|secourt|sedan|sees|selles|seltz|senaux|sene|sens|sere|serez|
serres|sers|servais|serval|servant|servies|seuil|sevrai|sevres|signes|simple|singles|singly|sissy|
sode|sommant|sommeilles|son|songeons|sor|sorbets|sorbier|sorbiers|sore|sorgues|sos|soucia|soudan|
soudat|soude|soues|souille|soula|soulages|soupir|sours|soyers|soyons|spay|stains|staple|still|suisse|
sully|sure|surin|sus|sy|taillades|taillant|taillis|talais|talant|taller|talon|tarare|tardes|target|
tart|tasse|taule|tavernes|teille|tende|tendon|tendron|tendu|teneur|terce|termes|tesson|this|thou|
tierce|tiercelet|tillac|tille|toges|tonnerre|totes|touille|tourbes|tournes|toussaint|tox|trans|
trappes|treilles|tresses|treteau|treve|treves|tricot|trilla|trimer|troche|tulle|ur|urs|urt|ury|us|uz|
uza|vacheres|vaillant|vains|vaire|valenciennes|valentine|valouse|vals|vanne|varaignes|vars|
vaudeville|vaux|vay|velu|venas|vendes|venelles|venere|venes|venette|ventouse|ver|vereux|verges|
vergne|verin|verines|vernaux|verne|vernie|verrieres|verrue|vers|vert|very|vez|vichy|vidai|videlles|
viella|vienne|viens|vieux|vif|vignes|vignot|ville|villes|violes|vira|vire|vitre|vitreux|vives|
viviers|viviez|vix|vogue|voise|voisines|vou|voue|vouvray|voyer|vry|vue|wail|willies|y
`;

/** Folded commune names that need a locative cue. */
export const AMBIGUOUS_COMMUNES: ReadonlySet<string> = new Set(LIST.split('|').map((name) => name.trim()));
