package io.sessionflow.bench;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The launcher's LayoutTest does not see this module (the launcher does not depend on it): its SQL rule, here. */
class BenchLayoutTest {

    @Test
    void onlyTheBenchmarksStorePackageUsesJdbc() {
        noClasses().that().resideOutsideOfPackage("..store..")
                .should().dependOnClassesThat().resideInAPackage("java.sql..")
                .because("SQL lives beside the store that owns its tables, so a schema change is found in one package")
                .check(new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("io.sessionflow.bench"));
    }
}
